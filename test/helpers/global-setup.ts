/** vitest globalSetup: checks the machine, then starts one MariaDB, a test CA and a WordPress template per run. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startMariaDb } from '../../scripts/stack/mariadb.ts';
import { isAlive } from '../../scripts/stack/process.ts';
import { ensureCertificates } from '../../scripts/stack/tls.ts';
import { prepareTemplate } from '../../scripts/stack/wordpress-tree.ts';
import type { TestStackInfo } from './stack-info.ts';

const stackRoot = path.resolve(import.meta.dirname, '../../.test-stack');

/** Fails loudly (never skips) when a server binary is missing. */
function checkMachine(): void {
  const missing = ['mariadbd', 'mariadb-install-db', 'php', 'openssl'].filter((bin) => {
    try {
      execFileSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' });
      return false;
    } catch {
      return true;
    }
  });
  if (!fs.existsSync('/usr/share/wordpress/wp-load.php')) missing.push('/usr/share/wordpress');
  if (!missing.includes('php') && !execFileSync('php', ['-m'], { encoding: 'utf8' }).includes('mysqli')) {
    missing.push('php-mysql (mysqli)');
  }
  if (missing.length)
    throw new Error(`test stack: missing ${missing.join(', ')}; run \`npm run setup\` first`);
}

/** Removes run dirs of earlier runs whose vitest process is gone; concurrent runs keep theirs. */
function sweepOldRuns(): void {
  if (!fs.existsSync(stackRoot)) return;
  for (const name of fs.readdirSync(stackRoot)) {
    const pid = Number(/^run-(\d+)$/.exec(name)?.[1]);
    if (!pid || pid === process.pid || !isAlive(pid))
      fs.rmSync(path.join(stackRoot, name), { recursive: true, force: true });
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  checkMachine();
  sweepOldRuns();
  const runDir = path.join(stackRoot, `run-${process.pid}`);
  fs.mkdirSync(runDir, { recursive: true });
  const [mariadb, tls, wordpressTemplate] = await Promise.all([
    startMariaDb({ dir: path.join(runDir, 'mariadb') }),
    ensureCertificates(path.join(runDir, 'tls')),
    prepareTemplate(path.join(runDir, 'wordpress-template')),
  ]);
  const info: TestStackInfo = {
    runDir,
    mariadb: { host: mariadb.host, port: mariadb.port, socket: mariadb.socket },
    tls,
    wordpressTemplate,
  };
  project.provide('stack', info);
  return () => mariadb.stop();
}

/** The WordPress site of P1 and P3: the product plugin, the Fluent Community emulator, and the sidecar beside it. */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { DbCredentials } from '../stack/mariadb.ts';
import { freePort } from '../stack/ports.ts';
import type { Sidecar } from '../stack/sidecar.ts';
import { repoRoot } from '../stack/sidecar.ts';
import { startWordPress, type WordPressSite } from '../stack/wordpress.ts';
import type { BenchContext } from './context.ts';
import { createXprofileTable } from './seed.ts';
import { benchPool, newDatabase, startBenchSidecar } from './stack.ts';

export const fixturesDir = path.join(repoRoot, 'test/fixtures/hook-args');
const emulator = path.join(repoRoot, 'test/wp-plugins/fcwh-fc-emulator');

export interface BenchSite {
  wp: WordPressSite;
  db: DbCredentials;
  /** The running sidecar, or undefined while stopped. */
  sidecar(): Sidecar | undefined;
  stopSidecar(signal?: NodeJS.Signals): Promise<void>;
  startSidecar(env?: Record<string, string>): Promise<Sidecar>;
  /** POST to a WordPress REST route as the admin (application password); throws unless 200. */
  rest<T>(route: string, body: unknown): Promise<T>;
  stop(): Promise<void>;
}

/**
 * PHP runs with OPcache on (`opcache.enable_cli`, as PHP-FPM has it by default): without it every request
 * recompiles WordPress, which no production site does.
 */
function enableOpcache(dir: string): void {
  const iniDir = path.join(dir, 'php-ini');
  fs.mkdirSync(iniDir, { recursive: true });
  fs.writeFileSync(
    path.join(iniDir, 'zz-bench.ini'),
    'opcache.enable_cli=1\nopcache.validate_timestamps=0\n',
  );
  // A leading ':' keeps PHP's own scan dir (mysqli and the rest) and adds ours.
  process.env.PHP_INI_SCAN_DIR = `:${iniDir}`;
}

export async function startBenchSite(
  ctx: BenchContext,
  label: string,
  options: { muPlugins?: readonly string[] } = {},
): Promise<BenchSite> {
  const dir = path.join(ctx.stack.dir, label);
  enableOpcache(ctx.stack.dir);
  const db = await newDatabase(ctx.stack, label);
  const secret = randomBytes(36).toString('base64url');
  const port = await freePort();
  let wpConfig = '';
  let sidecar: Sidecar | undefined;
  const startSidecar = async (env: Record<string, string> = {}) => {
    sidecar = await startBenchSidecar(ctx.stack, undefined, {
      label,
      wpConfig,
      secret,
      port,
      allowTargets: [`127.0.0.1:${ctx.receiver.port}`],
      env,
    });
    return sidecar;
  };
  const wp = await startWordPress({
    siteDir: path.join(dir, 'site'),
    templateDir: path.join(ctx.stack.dir, 'wordpress-template'),
    db,
    sidecarUrl: `http://127.0.0.1:${port}`,
    sidecarSecret: secret,
    extraPlugins: [emulator],
    muPlugins: options.muPlugins,
    constants: { FCWH_TEST_FIXTURES_DIR: fixturesDir, WP_DEBUG: false },
    alongside: (site) => {
      wpConfig = site.wpConfig;
      return startSidecar();
    },
  });
  const pool = benchPool(db, 1);
  await createXprofileTable(pool).finally(() => pool.end()); // as on a site with Fluent Community installed
  return {
    wp,
    db,
    sidecar: () => sidecar,
    startSidecar,
    async stopSidecar(signal = 'SIGTERM') {
      await sidecar?.stop(signal);
      sidecar = undefined;
    },
    async rest<T>(route: string, body: unknown) {
      const res = await fetch(`${wp.rest_url}${route}`, {
        method: 'POST',
        headers: { authorization: wp.basicAuth('admin'), 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`POST ${route}: ${res.status} ${text.slice(0, 300)}`);
      return JSON.parse(text) as T;
    },
    async stop() {
      await wp.stop();
      await sidecar?.stop();
    },
  };
}

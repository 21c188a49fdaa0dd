/** The real sidecar process: exit 78 with a clear message on bad configuration, start from --wp-config alone. */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../scripts/stack/ports.ts';
import { phpValue, saltDefines } from '../../scripts/stack/wordpress-tree.ts';
import { useTestDatabase } from '../helpers/db.ts';
import {
  cleanEnv,
  runSidecarToExit,
  sidecarMain,
  startProcessUntilHealthy,
  startTcpProxy,
  type RunningSidecar,
  type TcpProxy,
} from './processes.ts';

const db = useTestDatabase('ops_process');
const dir = path.join(inject('stack').runDir, `ops-process-${randomBytes(3).toString('hex')}`);
fs.mkdirSync(dir, { recursive: true });
const secret = randomBytes(36).toString('base64url');

/** A wp-config.php as a site owner writes it, for this file's database reached through `dbHost`. */
function writeWpConfig(name: string, dbHost: string, prefix: string): string {
  const { creds } = db();
  const file = path.join(dir, name);
  fs.writeFileSync(
    file,
    `<?php
// ** Database settings ** //
define( 'DB_NAME', ${phpValue(creds.name)} );
define( "DB_USER", "${creds.user}" );
define('DB_PASSWORD',${phpValue(creds.password)});
define( 'DB_HOST', ${phpValue(dbHost)} );
// define( 'DB_HOST', 'wrong-host:3306' );
define( 'FCWH_SIDECAR_SECRET', ${phpValue(secret)} );
${saltDefines()}
$table_prefix = ${phpValue(prefix)};
require_once ABSPATH . 'wp-settings.php';
`,
  );
  return file;
}

describe('a bad configuration stops the process with exit status 78 (EX_CONFIG)', () => {
  it('says the shared secret is too weak, without printing it', async () => {
    const weak = 'abc'.repeat(12);
    const exit = await runSidecarToExit([], {
      FCWH_SECRET: weak,
      FCWH_ENCRYPTION_KEY: randomBytes(36).toString('base64url'),
      FCWH_DB_HOST: '127.0.0.1:1',
      FCWH_DB_NAME: 'n',
      FCWH_DB_USER: 'u',
    });
    expect(exit.code).toBe(78);
    expect(exit.stderr).toBe(
      'fcwh-sidecar: invalid configuration:\nFCWH_SECRET: has only 3 different characters, at least 10 are needed; generate one with `openssl rand -base64 48`\n',
    );
    expect(exit.stdout + exit.stderr).not.toContain(weak);
  });

  it('names a --wp-config file it cannot read, and everything else missing', async () => {
    const missing = path.join(dir, 'nope', 'wp-config.php');
    const exit = await runSidecarToExit(['--wp-config', missing], {});
    expect(exit.code).toBe(78);
    expect(exit.stderr).toContain('fcwh-sidecar: invalid configuration:');
    expect(exit.stderr).toContain(`FCWH_WP_CONFIG (--wp-config): cannot read ${missing}: ENOENT`);
  });

  it('refuses an unknown flag', async () => {
    const exit = await runSidecarToExit(['--wp-cfg', '/x'], { FCWH_SECRET: secret });
    expect(exit.code).toBe(78);
    expect(exit.stderr).toContain("Unknown option '--wp-cfg'");
    expect(exit.stderr).toContain('the only flag is --wp-config PATH');
  });
});

describe('starting from wp-config.php alone', () => {
  let sidecar: RunningSidecar | undefined;
  let proxy: TcpProxy | undefined;
  beforeAll(async () => {
    proxy = await startTcpProxy(db().creds);
  });
  afterAll(async () => {
    await sidecar?.process.stop();
    await proxy?.close();
  });

  it('reads the database over the Unix socket, the custom prefix and the secret from --wp-config', async () => {
    const file = writeWpConfig('socket-wp-config.php', `localhost:${db().creds.socket}`, 'fcx9_');
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const run = await startProcessUntilHealthy(
      process.execPath,
      ['--import', 'tsx', sidecarMain, '--wp-config', file],
      { env: cleanEnv({ FCWH_PORT: String(port) }), url, secret, logFile: path.join(dir, 'socket.log') },
    );
    try {
      const ready = await run.get('/readyz');
      expect(await ready.json()).toEqual({
        status: 'ready',
        checks: { database: true, migrations: true, worker: true },
        quarantined: 0,
      });
      const [tables] = await db().pool.query("SHOW TABLES LIKE 'fcx9\\_fcwh\\_%'");
      expect((tables as object[]).length).toBeGreaterThanOrEqual(6);
    } finally {
      expect(await run.process.stop().then(() => run.process.exited)).toEqual({ code: 0, signal: null });
    }
  });

  it('answers /readyz 503 naming the database while it is unreachable, and 200 once it is back', async () => {
    const file = writeWpConfig('tcp-wp-config.php', `127.0.0.1:${proxy!.port}`, 'wp_');
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    sidecar = await startProcessUntilHealthy(
      process.execPath,
      ['--import', 'tsx', sidecarMain, `--wp-config=${file}`],
      { env: cleanEnv({ FCWH_PORT: String(port) }), url, secret, logFile: path.join(dir, 'tcp.log') },
    );
    expect((await sidecar.get('/readyz')).status).toBe(200);

    await proxy!.cut();
    const down = await sidecar.get('/readyz');
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({
      code: 'not_ready',
      message: 'The webhooks service is not ready.',
      data: { status: 503, checks: { database: false, migrations: false, worker: true } },
    });
    expect((await fetch(`${url}/healthz`)).status).toBe(200); // alive: systemd need not restart it

    await proxy!.restore();
    expect((await sidecar.get('/readyz')).status).toBe(200);
  });
});

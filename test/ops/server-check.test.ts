/**
 * A database server the sidecar cannot run on stops it at start with exit 78 and a message saying what to change:
 * a binary log in STATEMENT format (the sidecar's READ COMMITTED sessions can only be logged as rows), or a server
 * without SKIP LOCKED.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { serverProblems } from '../../sidecar/src/db/server-check.ts';
import { rootConnection, startMariaDb, type MariaDbServer } from '../../scripts/stack/mariadb.ts';
import { runSidecarToExit } from './processes.ts';

describe('what the sidecar needs of the server', () => {
  it.each([
    [
      'MariaDB 10.11 without a binary log',
      { version: '10.11.19-MariaDB-0+deb12u1', logBin: 0, binlogFormat: 'MIXED', sqlMode: '' },
      0,
    ],
    [
      'MariaDB 10.6 logging rows',
      { version: '10.6.0-MariaDB', logBin: 1, binlogFormat: 'ROW', sqlMode: '' },
      0,
    ],
    ['MySQL 8.0 in MIXED format', { version: '8.0.36', logBin: 1, binlogFormat: 'MIXED', sqlMode: '' }, 0],
    [
      'a statement-format binary log',
      { version: '10.11.6-MariaDB', logBin: 1, binlogFormat: 'STATEMENT', sqlMode: '' },
      1,
    ],
    [
      'sessions whose sql_mode reads backslashes as text',
      {
        version: '10.11.6-MariaDB',
        logBin: 0,
        binlogFormat: 'MIXED',
        sqlMode: 'STRICT_TRANS_TABLES,NO_BACKSLASH_ESCAPES',
      },
      1,
    ],
    [
      'sessions in ANSI_QUOTES',
      { version: '8.0.36', logBin: 0, binlogFormat: 'ROW', sqlMode: 'ansi_quotes,STRICT_ALL_TABLES' },
      1,
    ],
    ['MariaDB 10.5', { version: '10.5.23-MariaDB', logBin: 0, binlogFormat: 'MIXED', sqlMode: '' }, 1],
    [
      'MySQL 5.7 logging statements',
      { version: '5.7.44-log', logBin: 1, binlogFormat: 'statement', sqlMode: '' },
      2,
    ],
  ])('%s', (_label, facts, problems) => {
    expect(serverProblems(facts)).toHaveLength(problems);
  });
});

describe('a MariaDB whose binary log is in STATEMENT format', () => {
  let server: MariaDbServer;
  beforeAll(async () => {
    server = await startMariaDb({
      dir: path.join(inject('stack').runDir, `binlog-statement-${randomBytes(3).toString('hex')}`),
      extraArgs: ['--log-bin', '--binlog-format=STATEMENT', '--server-id=1'],
    });
    const root = await rootConnection(server);
    await root.query(
      `CREATE DATABASE fcwh_binlog; CREATE USER 'fcwh'@'%' IDENTIFIED BY 'binlog-pass'; GRANT ALL ON fcwh_binlog.* TO 'fcwh'@'%'`,
    );
    await root.end();
  }, 60_000);
  afterAll(() => server?.stop());

  it('stops the sidecar at start with exit 78, saying what to change, and creates no table', async () => {
    const exit = await runSidecarToExit([], {
      FCWH_SECRET: randomBytes(36).toString('base64url'),
      FCWH_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      FCWH_DB_HOST: `127.0.0.1:${server.port}`,
      FCWH_DB_NAME: 'fcwh_binlog',
      FCWH_DB_USER: 'fcwh',
      FCWH_DB_PASSWORD: 'binlog-pass',
    });
    expect(exit.code).toBe(78);
    expect(exit.stderr).toContain('fcwh-sidecar: the database server cannot run the sidecar:');
    expect(exit.stderr).toContain('set binlog_format=ROW (or MIXED)');
    const root = await rootConnection(server);
    const [tables] = (await root.query(`SHOW TABLES FROM fcwh_binlog`)) as never as [unknown[]];
    await root.end();
    expect(tables).toEqual([]);
  });
});

/** The benchmark's servers: one MariaDB (durable defaults), the local CA, and per-figure databases and sidecars. */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import mysql from 'mysql2/promise';
import {
  createDatabase,
  rootConnection,
  startMariaDb,
  uniqueDbName,
  type DbCredentials,
  type MariaDbServer,
} from '../stack/mariadb.ts';
import { repoRoot, startSidecar, type Sidecar } from '../stack/sidecar.ts';
import { ensureCertificates, type TlsFiles } from '../stack/tls.ts';

/** Scratch space of a run: bench-results/stack/ (git-ignored). */
export const benchDir = path.join(repoRoot, 'bench-results');

export interface BenchStack {
  readonly dir: string;
  readonly mariadb: MariaDbServer;
  readonly tls: TlsFiles;
  /** MariaDB settings the figures were measured with (durability first). */
  readonly dbSettings: Record<string, string>;
  stop(): Promise<void>;
}

/** The buffer pool MariaDB gets for the run (its 128 MB default makes P8's 1 M-row tables disk-bound). */
const bufferPoolBytes = 1024 * 1024 * 1024;

/** Starts MariaDB in a fresh data dir and makes the test CA. */
export async function startBenchStack(options: { readCommitted?: boolean } = {}): Promise<BenchStack> {
  const dir = path.join(benchDir, 'stack');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const [mariadb, tls] = await Promise.all([
    startMariaDb({ dir: path.join(dir, 'mariadb') }),
    ensureCertificates(path.join(dir, 'tls')),
  ]);
  const root = await rootConnection(mariadb);
  try {
    await root.query(`SET GLOBAL innodb_buffer_pool_size = ${bufferPoolBytes}`);
    // `--read-committed` (an experiment, labelled in the output): no gap locks, for every session.
    if (options.readCommitted) await root.query(`SET GLOBAL tx_isolation = 'READ-COMMITTED'`);
    const [rows] = await root.query<mysql.RowDataPacket[]>(
      `SHOW GLOBAL VARIABLES WHERE Variable_name IN ('innodb_flush_log_at_trx_commit', 'sync_binlog', 'log_bin',
       'innodb_buffer_pool_size', 'innodb_log_file_size', 'innodb_flush_method', 'innodb_doublewrite', 'version',
       'tx_isolation')`,
    );
    const dbSettings = Object.fromEntries(rows.map((r) => [r.Variable_name as string, String(r.Value)]));
    if (dbSettings.innodb_flush_log_at_trx_commit !== '1')
      throw new Error('MariaDB is not durable (innodb_flush_log_at_trx_commit != 1)');
    return { dir, mariadb, tls, dbSettings, stop: () => mariadb.stop() };
  } finally {
    await root.end();
  }
}

/** A fresh database and its owner for one figure. */
export function newDatabase(stack: BenchStack, label: string): Promise<DbCredentials> {
  return createDatabase(stack.mariadb, uniqueDbName(`bench_${label}`));
}

/** A mysql2 pool on a figure's database (for seeding and reading results). */
export function benchPool(creds: DbCredentials, connections = 4): mysql.Pool {
  return mysql.createPool({
    host: creds.host,
    port: creds.port,
    user: creds.user,
    password: creds.password,
    database: creds.name,
    connectionLimit: connections,
    multipleStatements: true,
    dateStrings: true,
    timezone: 'Z',
  });
}

export interface BenchSidecarOptions {
  label: string;
  /** Targets exempt from the SSRF block (exact `127.0.0.1:port`). */
  allowTargets: string[];
  /** Extra FCWH_* settings. */
  env?: Record<string, string>;
  /** An existing wp-config.php (P1, P3) instead of database credentials. */
  wpConfig?: string;
  secret?: string;
  port?: number;
}

/** `--profile`: every sidecar writes a V8 CPU profile here when it stops (open it in Chrome DevTools). */
let profileDir: string | undefined;
export function profileSidecars(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  profileDir = dir;
}

/** Starts the real sidecar process (scripts/stack/sidecar.ts) on a figure's database. */
export function startBenchSidecar(
  stack: BenchStack,
  db: DbCredentials | undefined,
  options: BenchSidecarOptions,
): Promise<Sidecar> {
  return startSidecar({
    secret: options.secret ?? randomBytes(36).toString('base64url'),
    ...(db ? { db: { ...db, table_prefix: 'wp_' } } : {}),
    ...(options.wpConfig ? { wpConfig: options.wpConfig } : {}),
    ...(options.port ? { port: options.port } : {}),
    allowTargets: options.allowTargets,
    logLevel: 'warn',
    ...(profileDir ? { entry: path.join(import.meta.dirname, 'profiled-sidecar.ts') } : {}),
    ...(process.env.BENCH_SIDECAR_ENTRY ? { entry: process.env.BENCH_SIDECAR_ENTRY } : {}),
    logFile: path.join(stack.dir, `sidecar-${options.label}.log`),
    env: {
      // The local CA joins Node's default store, as a public CA would be in production. (FCWH_CA_FILE instead
      // makes every new TLS connection build a context from ~140 roots: ~65 ms of CPU, see docs/BENCHMARKS.md.)
      NODE_EXTRA_CA_CERTS: stack.tls.caFile,
      FCWH_ENCRYPTION_KEY: 'bench-encryption-key-bench-encryption-key',
      ...(profileDir ? { BENCH_PROFILE_DIR: profileDir } : {}),
      ...options.env,
    },
  });
}

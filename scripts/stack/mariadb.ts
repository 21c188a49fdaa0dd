/** A private MariaDB server: initialise a data dir, run mariadbd on 127.0.0.1, create per-site databases. */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import mysql, { type Connection } from 'mysql2/promise';
import { freePort } from './ports.ts';
import { spawnLogged, tailFile, type ManagedProcess } from './process.ts';
import { waitFor } from './wait.ts';

const run = promisify(execFile);

/** Where a running server answers; plain data, so vitest can `provide` it to test workers. */
export interface MariaDbAddress {
  host: string;
  port: number;
  /** Unix socket; root logs in through it without a password. */
  socket: string;
}

/** One site's database and the user that owns it. */
export interface DbCredentials extends MariaDbAddress {
  name: string;
  user: string;
  password: string;
}

export interface MariaDbOptions {
  /** Holds data/, mariadb.sock, mariadb.log; an initialised data/ is reused as is. */
  dir: string;
  /** TCP port; omitted = a free one (retried if another process takes it first). */
  port?: number;
  /** Keep running after this process exits (demo `up`). */
  background?: boolean;
  /** Give up starting after this many milliseconds (default 30 000). */
  timeoutMs?: number;
  /** More mariadbd options (a test's unusual server, e.g. `--log-bin`). */
  extraArgs?: string[];
}

export interface MariaDbServer extends MariaDbAddress {
  readonly dataDir: string;
  readonly logFile: string;
  readonly process: ManagedProcess;
  /** Graceful shutdown (SIGTERM; MariaDB flushes), SIGKILL after `timeoutMs` (default 30 000). */
  stop(timeoutMs?: number): Promise<void>;
}

/** Runs mariadb-install-db into `dataDir` unless it already holds a system database (a partial one is redone). */
export async function initDataDir(dataDir: string): Promise<void> {
  const marker = `${dataDir}.initialised`;
  if (fs.existsSync(marker)) return;
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true });
  await run('mariadb-install-db', [
    '--no-defaults',
    `--datadir=${dataDir}`,
    `--tmpdir=${tmpDir(dataDir)}`,
    '--user=root',
    '--auth-root-authentication-method=normal',
    '--skip-test-db',
  ]);
  fs.writeFileSync(marker, `${new Date().toISOString()}\n`);
}

/** A private temp dir next to the data dir: /tmp is shared with other servers and cleaners. */
function tmpDir(dataDir: string): string {
  const dir = path.join(path.dirname(dataDir), 'tmp');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** Starts mariadbd on 127.0.0.1 with durable defaults and resolves once root can run a query. */
export async function startMariaDb(options: MariaDbOptions): Promise<MariaDbServer> {
  const dir = path.resolve(options.dir);
  const dataDir = path.join(dir, 'data');
  await initDataDir(dataDir);
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort());
    try {
      return await launch(dir, dataDir, port, options);
    } catch (error) {
      if (options.port !== undefined || attempt >= 3) throw error;
    }
  }
}

async function launch(
  dir: string,
  dataDir: string,
  port: number,
  options: MariaDbOptions,
): Promise<MariaDbServer> {
  const socket = path.join(dir, 'mariadb.sock');
  const logFile = path.join(dir, 'mariadb.log');
  fs.rmSync(socket, { force: true });
  const child = spawnLogged(
    'mariadbd',
    'mariadbd',
    [
      '--no-defaults',
      `--datadir=${dataDir}`,
      `--tmpdir=${tmpDir(dataDir)}`,
      '--user=root',
      `--socket=${socket}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      '--skip-name-resolve',
      `--pid-file=${path.join(dir, 'mariadb.pid')}`,
      '--character-set-server=utf8mb4',
      '--collation-server=utf8mb4_unicode_ci',
      '--max-connections=500',
      ...(options.extraArgs ?? []),
    ],
    { logFile, background: options.background },
  );
  const address = { host: '127.0.0.1', port, socket };
  try {
    await waitFor('MariaDB', () => ping(address), {
      timeoutMs: options.timeoutMs ?? 30_000,
      abort: () => (child.exitInfo() ? `mariadbd exited; log:\n${tailFile(logFile)}` : undefined),
    });
  } catch (error) {
    await child.stop('SIGKILL');
    throw error;
  }
  return {
    ...address,
    dataDir,
    logFile,
    process: child,
    stop: (timeoutMs = 30_000) => child.stop('SIGTERM', timeoutMs),
  };
}

/** True when root gets `SELECT 1` answered through the socket. */
export async function ping(address: MariaDbAddress): Promise<boolean> {
  const connection = await rootConnection(address);
  try {
    await connection.query('SELECT 1');
    return true;
  } finally {
    await connection.end();
  }
}

/** A root connection over the unix socket (no password). Close it with `end()`. */
export function rootConnection(address: MariaDbAddress): Promise<Connection> {
  return mysql.createConnection({ socketPath: address.socket, user: 'root', multipleStatements: true });
}

/**
 * Creates database `name` (dropped first when `fresh`) and a user of the same name with a random password,
 * granted everything on it, reachable over TCP from 127.0.0.1 and over the socket.
 */
export async function createDatabase(
  address: MariaDbAddress,
  name: string,
  { fresh = true, password = randomBytes(12).toString('hex') }: { fresh?: boolean; password?: string } = {},
): Promise<DbCredentials> {
  if (!/^[A-Za-z0-9_]{1,64}$/.test(name)) throw new Error(`bad database name: ${name}`);
  const user = name.slice(0, 80);
  const connection = await rootConnection(address);
  try {
    if (fresh) await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await connection.query(
      `CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;` +
        `CREATE OR REPLACE USER ?@'%' IDENTIFIED BY ?; CREATE OR REPLACE USER ?@'localhost' IDENTIFIED BY ?;` +
        `GRANT ALL PRIVILEGES ON \`${name}\`.* TO ?@'%'; GRANT ALL PRIVILEGES ON \`${name}\`.* TO ?@'localhost';`,
      [user, password, user, password, user, user],
    );
  } finally {
    await connection.end();
  }
  return { host: address.host, port: address.port, socket: address.socket, name, user, password };
}

/** Drops database `name` and its user; missing ones are fine. */
export async function dropDatabase(address: MariaDbAddress, name: string): Promise<void> {
  const connection = await rootConnection(address);
  try {
    await connection.query(`DROP DATABASE IF EXISTS \`${name}\`; DROP USER IF EXISTS ?@'%', ?@'localhost';`, [
      name,
      name,
    ]);
  } finally {
    await connection.end();
  }
}

/** A database name unique in this server's lifetime: `prefix_<time>_<random>`, at most 64 characters. */
export function uniqueDbName(prefix: string): string {
  const clean = prefix
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .slice(0, 40);
  return `${clean}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

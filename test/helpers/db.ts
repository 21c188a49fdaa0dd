/** A fresh database per test file on the run's MariaDB, with a mysql2 pool logged in as its own user. */
import { inject } from 'vitest';
import mysql, { type Pool } from 'mysql2/promise';
import { createDatabase, uniqueDbName, type DbCredentials } from '../../scripts/stack/mariadb.ts';
import { perFile } from './per-file.ts';

export interface TestDatabase {
  /** Host/port/socket, database name, user and password. */
  creds: DbCredentials;
  /** Pool of up to 8 connections to `creds.name`. */
  pool: Pool;
  /** Ends the pool (the database stays, for post-mortems; the next run starts from a fresh server). */
  close(): Promise<void>;
}

/** Creates a uniquely named database (`<label>_<time>_<random>`) and a pool on it. */
export async function createTestDatabase(label = 'test'): Promise<TestDatabase> {
  const creds = await createDatabase(inject('stack').mariadb, uniqueDbName(label));
  const pool = mysql.createPool({
    host: creds.host,
    port: creds.port,
    user: creds.user,
    password: creds.password,
    database: creds.name,
    connectionLimit: 8,
    multipleStatements: true,
  });
  return { creds, pool, close: () => pool.end() };
}

/**
 * Registers beforeAll/afterAll giving this file its own database; call at the top of a test file and read
 * `db()` inside tests (it throws before beforeAll ran).
 */
export function useTestDatabase(label?: string): () => TestDatabase {
  return perFile(
    'the test database',
    () => createTestDatabase(label),
    (db) => db.close(),
  );
}

/**
 * The sum of the session status counters `where` selects, on `conn` (the same session before and after a statement:
 * e.g. `Variable_name LIKE 'Handler_read%'`, the rows the server's handlers read).
 */
export async function sessionCounters(conn: Pick<Pool, 'query'>, where: string): Promise<number> {
  const [rows] = (await conn.query(`SHOW SESSION STATUS WHERE ${where}`)) as never as [{ Value: string }[]];
  return rows.reduce((n, r) => n + Number(r.Value), 0);
}

/** Applies the versioned migrations in migrations/NNN_name.sql once each, under a named lock. */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PoolConnection } from 'mysql2/promise';
import type { Pool, Tables } from './pool.ts';

const dir = fileURLToPath(new URL('./migrations/', import.meta.url));

export interface Migration {
  version: number;
  name: string;
  statements: string[];
}

/** The migrations shipped with this version, in order, with `{prefix}` substituted. */
export function migrations(prefix: string): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => ({
      version: Number(file.slice(0, 3)),
      name: file.slice(4, -4),
      statements: readFileSync(dir + file, 'utf8')
        .replace(/^--.*$/gm, '')
        .replaceAll('{prefix}', prefix)
        .split(/;\s*$/m)
        .map((s) => s.trim())
        .filter(Boolean),
    }));
}

/** Brings the schema up to date; safe to run from several sidecars at once. Returns versions applied. */
export async function migrate(pool: Pool, tables: Tables, prefix: string): Promise<number[]> {
  const conn = await pool.getConnection();
  // A named lock serialises concurrent start-ups: DDL cannot be rolled back, so two sidecars must not interleave.
  const lock = `${prefix}fcwh_migrate`;
  try {
    await conn.query('SELECT GET_LOCK(?, 60)', [lock]);
    await conn.query(
      `CREATE TABLE IF NOT EXISTS ${tables.migrations} (version INT UNSIGNED NOT NULL PRIMARY KEY,
       name VARCHAR(191) NOT NULL, applied_at DATETIME NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
    );
    const [rows] = await conn.query(`SELECT version FROM ${tables.migrations}`);
    const done = new Set((rows as { version: number }[]).map((r) => r.version));
    const applied: number[] = [];
    for (const m of migrations(prefix)) {
      if (done.has(m.version)) continue;
      for (const statement of m.statements) await runIdempotent(conn, statement);
      await conn.query(
        `INSERT INTO ${tables.migrations} (version, name, applied_at) VALUES (?, ?, UTC_TIMESTAMP())`,
        [m.version, m.name],
      );
      applied.push(m.version);
    }
    return applied;
  } finally {
    await conn.query('SELECT RELEASE_LOCK(?)', [lock]).catch(() => undefined);
    conn.release();
  }
}

/**
 * Index changes are written without MariaDB's `IF [NOT] EXISTS`, which MySQL lacks; a migration cut short (the
 * sidecar stopped between its statements) runs again from the start, so an index it already added (1061, duplicate
 * key name) or dropped (1091, cannot drop), or a column it already added (1060), means that statement's work is done.
 */
async function runIdempotent(conn: PoolConnection, statement: string): Promise<void> {
  try {
    await conn.query(statement);
  } catch (error) {
    const errno = (error as { errno?: number }).errno;
    const indexChange = /^ALTER TABLE \S+ (ADD|DROP) INDEX /i.test(statement);
    const columnAdded = /^ALTER TABLE \S+ ADD COLUMN /i.test(statement);
    if (!(indexChange && (errno === 1061 || errno === 1091)) && !(columnAdded && errno === 1060)) throw error;
  }
}

/** True when every shipped migration is recorded as applied. */
export async function migrationsCurrent(pool: Pool, tables: Tables, prefix: string): Promise<boolean> {
  const [rows] = await pool.query(`SELECT MAX(version) AS v FROM ${tables.migrations}`);
  const latest = migrations(prefix).at(-1)?.version ?? 0;
  return ((rows as { v: number | null }[])[0]?.v ?? 0) >= latest;
}

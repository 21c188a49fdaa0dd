/** Scripts: several statements in one round trip on the script pool, and transactions made of them. */
import type mysql from 'mysql2/promise';
import type { Pool } from './pool.ts';

/** One statement of a script: SQL text with `?` placeholders and their values. */
export interface Statement {
  sql: string;
  values?: unknown[];
}

/**
 * Runs statements in one round trip on a connection of the script pool; one result per statement, in order (rows
 * for a SELECT, a ResultSetHeader otherwise). The server stops at the first failing statement, whose error is
 * thrown; the ones before it took effect (inside a transaction, the caller rolls back).
 */
export async function runScript(conn: mysql.PoolConnection, statements: Statement[]): Promise<unknown[]> {
  if (statements.length === 0) return [];
  const [results] = await conn.query(
    statements.map((s) => s.sql).join(';\n'),
    statements.flatMap((s) => s.values ?? []),
  );
  return statements.length === 1 ? [results] : (results as unknown[]);
}

/** A transaction run as scripts: BEGIN goes with the first script's statements, COMMIT with the last's. */
export interface ScriptTransaction {
  /** The connection, for single statements between scripts (they run inside the transaction once it has begun). */
  readonly conn: mysql.PoolConnection;
  /** Runs statements in one round trip (the transaction begins with the first). */
  run(statements: Statement[]): Promise<unknown[]>;
  /** Runs statements and COMMIT in one round trip: the transaction is over. */
  commitWith(statements: Statement[]): Promise<unknown[]>;
}

/**
 * Runs `fn` in a transaction on the script pool, retrying deadlocks (1213) and lock-wait timeouts (1205) a few
 * times, as inTransaction does. `fn` ends it with `commitWith`; when it returns without, the transaction commits
 * then. Reads `fn` makes on `conn` before its first script run outside the transaction (READ COMMITTED: the same
 * rows they would see inside it), which lets a write-only transaction be one round trip.
 */
export async function inScriptTransaction<T>(
  pool: Pool,
  fn: (tx: ScriptTransaction) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const conn = await pool.getConnection();
    /** Whether START TRANSACTION was sent (the next script does not repeat it). */
    let begun = false;
    let done = false;
    const open = (statements: Statement[]) =>
      begun ? statements : [{ sql: 'START TRANSACTION' }, ...statements];
    const strip = (results: unknown[]) => (begun ? results : results.slice(1));
    const tx: ScriptTransaction = {
      conn,
      async run(statements) {
        const results = strip(await runScript(conn, open(statements)));
        begun = true;
        return results;
      },
      async commitWith(statements) {
        if (done) throw new Error('transaction already committed');
        if (!begun && statements.length === 0) {
          done = true; // nothing was written: no transaction to open and close
          return [];
        }
        const results = strip(await runScript(conn, [...open(statements), { sql: 'COMMIT' }]));
        begun = false;
        done = true;
        return results.slice(0, -1);
      },
    };
    try {
      const result = await fn(tx);
      if (!done && begun) await conn.query('COMMIT');
      return result;
    } catch (error) {
      await conn.query('ROLLBACK').catch(() => undefined);
      const errno = (error as { errno?: number }).errno;
      if ((errno === 1213 || errno === 1205) && attempt < 5) continue;
      throw error;
    } finally {
      conn.release();
    }
  }
}

/**
 * Scripts: several statements per round trip on the script pool only, in transactions that carry BEGIN with their
 * first script and COMMIT with their last, retried on deadlocks and rolled back whole on any failure.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../sidecar/src/config.ts';
import { createPool, createScriptPool, type Pool } from '../../sidecar/src/db/pool.ts';
import { inScriptTransaction, runScript } from '../../sidecar/src/db/scripts.ts';
import { useTestDatabase } from '../helpers/db.ts';

const database = useTestDatabase('scripts');
let pool: Pool;
let scripts: Pool;

beforeAll(async () => {
  const { creds } = database();
  const config = loadConfig({
    FCWH_SECRET: randomBytes(32).toString('hex'),
    FCWH_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    FCWH_DB_HOST: `${creds.host}:${creds.port}`,
    FCWH_DB_NAME: creds.name,
    FCWH_DB_USER: creds.user,
    FCWH_DB_PASSWORD: creds.password,
    FCWH_DB_POOL: '4',
  });
  pool = createPool(config);
  scripts = createScriptPool(config);
  await pool.query(
    'CREATE TABLE script_t (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(20) NOT NULL UNIQUE)',
  );
});
afterAll(async () => {
  await pool?.end();
  await scripts?.end();
});

const values = async () =>
  ((await pool.query('SELECT v FROM script_t ORDER BY id')) as never as [{ v: string }[]])[0].map((r) => r.v);

/** Counts the queries sent on the script pool's connections (one per round trip). */
async function countingQueries<T>(fn: () => Promise<T>): Promise<{ result: T; queries: string[] }> {
  const queries: string[] = [];
  const getConnection = scripts.getConnection.bind(scripts);
  scripts.getConnection = async () => {
    const conn = await getConnection();
    const query = conn.query.bind(conn) as (...args: unknown[]) => Promise<unknown>;
    conn.query = ((...args: unknown[]) => {
      queries.push(String(args[0]));
      return query(...args);
    }) as typeof conn.query;
    return conn;
  };
  try {
    return { result: await fn(), queries };
  } finally {
    scripts.getConnection = getConnection;
  }
}

describe('the two pools', () => {
  it('refuses several statements in one query on the main pool, and takes them on the script pool', async () => {
    await expect(pool.query('SELECT 1; SELECT 2')).rejects.toMatchObject({ code: 'ER_PARSE_ERROR' });
    const conn = await scripts.getConnection();
    try {
      expect(
        await runScript(conn, [
          { sql: 'SELECT ? AS a', values: [1] },
          { sql: 'SELECT ? AS b', values: ['x;y'] },
        ]),
      ).toEqual([[{ a: 1 }], [{ b: 'x;y' }]]);
    } finally {
      conn.release();
    }
  });

  it('escapes values: a value shaped like a second statement stays a value', async () => {
    const conn = await scripts.getConnection();
    try {
      const evil = "x'); DROP TABLE script_t; --";
      await runScript(conn, [{ sql: 'INSERT INTO script_t (v) VALUES (?)', values: [evil.slice(0, 20)] }]);
      expect(await values()).toContain(evil.slice(0, 20));
      await pool.query('DELETE FROM script_t');
    } finally {
      conn.release();
    }
  });

  it('runs script sessions in READ COMMITTED, like the main pool', async () => {
    const conn = await scripts.getConnection();
    try {
      const [[row]] = (await runScript(conn, [{ sql: 'SELECT @@SESSION.tx_isolation AS level' }])) as [
        { level: string }[],
      ];
      expect(row!.level).toBe('READ-COMMITTED');
    } finally {
      conn.release();
    }
  });
});

describe('inScriptTransaction', () => {
  it('sends BEGIN with the first script and COMMIT with the last: two round trips for two scripts', async () => {
    const { result, queries } = await countingQueries(() =>
      inScriptTransaction(scripts, async (tx) => {
        const [, [row]] = (await tx.run([
          { sql: 'INSERT INTO script_t (v) VALUES (?)', values: ['a'] },
          { sql: 'SELECT COUNT(*) AS n FROM script_t' },
        ])) as [unknown, { n: number }[]];
        await tx.commitWith([{ sql: 'INSERT INTO script_t (v) VALUES (?)', values: ['b'] }]);
        return Number(row!.n);
      }),
    );
    expect(result).toBe(1);
    expect(queries).toHaveLength(2);
    expect(queries[0]).toMatch(/^START TRANSACTION;\nINSERT/);
    expect(queries[1]).toMatch(/;\nCOMMIT$/);
    expect(await values()).toEqual(['a', 'b']);
  });

  it('writes nothing until COMMIT: other sessions do not see the first script', async () => {
    await inScriptTransaction(scripts, async (tx) => {
      await tx.run([{ sql: 'INSERT INTO script_t (v) VALUES (?)', values: ['c'] }]);
      expect(await values()).toEqual(['a', 'b']);
      await tx.commitWith([]);
    });
    expect(await values()).toEqual(['a', 'b', 'c']);
  });

  it('commits when the work returns without commitWith, and sends nothing when nothing was written', async () => {
    await inScriptTransaction(scripts, (tx) =>
      tx.run([{ sql: 'INSERT INTO script_t (v) VALUES (?)', values: ['d'] }]),
    );
    expect(await values()).toEqual(['a', 'b', 'c', 'd']);
    const { queries } = await countingQueries(() => inScriptTransaction(scripts, (tx) => tx.commitWith([])));
    expect(queries).toEqual([]);
  });

  it('rolls back the whole transaction when a statement of its last script fails (COMMIT is never reached)', async () => {
    await expect(
      inScriptTransaction(scripts, async (tx) => {
        await tx.run([{ sql: 'INSERT INTO script_t (v) VALUES (?)', values: ['e'] }]);
        // The second statement breaks the unique key: the first of this script took effect, COMMIT did not run.
        await tx.commitWith([
          { sql: 'INSERT INTO script_t (v) VALUES (?)', values: ['f'] },
          { sql: 'INSERT INTO script_t (v) VALUES (?)', values: ['a'] },
        ]);
      }),
    ).rejects.toMatchObject({ code: 'ER_DUP_ENTRY' });
    expect(await values()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('runs the work again after a deadlock, in a new transaction', async () => {
    let runs = 0;
    await inScriptTransaction(scripts, async (tx) => {
      runs++;
      await tx.run([{ sql: 'INSERT INTO script_t (v) VALUES (?)', values: [`g${runs}`] }]);
      if (runs === 1) throw Object.assign(new Error('ER_LOCK_DEADLOCK'), { errno: 1213 });
      await tx.commitWith([]);
    });
    expect(runs).toBe(2);
    expect(await values()).toEqual(['a', 'b', 'c', 'd', 'g2']);
  });
});

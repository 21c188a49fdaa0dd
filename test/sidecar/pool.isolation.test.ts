/** Every pooled sidecar session runs in READ COMMITTED, including connections opened again after a drop. */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../sidecar/src/config.ts';
import { createPool, type Pool } from '../../sidecar/src/db/pool.ts';
import { useTestDatabase } from '../helpers/db.ts';

const database = useTestDatabase('isolation');
let pool: Pool;
const poolSize = 4;

beforeAll(() => {
  const { creds } = database();
  pool = createPool(
    loadConfig({
      FCWH_SECRET: randomBytes(32).toString('hex'),
      FCWH_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      FCWH_DB_HOST: `${creds.host}:${creds.port}`,
      FCWH_DB_NAME: creds.name,
      FCWH_DB_USER: creds.user,
      FCWH_DB_PASSWORD: creds.password,
      FCWH_DB_POOL: String(poolSize),
    }),
  );
});
afterAll(() => pool?.end());

interface Session {
  id: number;
  isolation: string;
}

/** Holds every connection of the pool at once (so none is reused) and reads each session's level. */
async function everySession(): Promise<Session[]> {
  const conns = await Promise.all(Array.from({ length: poolSize }, () => pool.getConnection()));
  try {
    return await Promise.all(
      conns.map(async (conn) => {
        const [rows] = await conn.query('SELECT CONNECTION_ID() AS id, @@SESSION.tx_isolation AS isolation');
        const row = (rows as { id: number; isolation: string }[])[0]!;
        return { id: Number(row.id), isolation: row.isolation };
      }),
    );
  } finally {
    for (const conn of conns) conn.release();
  }
}

describe('the sidecar pool', () => {
  it('opens every connection in READ COMMITTED while the server default stays REPEATABLE READ', async () => {
    const [global] = await database().pool.query('SELECT @@GLOBAL.tx_isolation AS isolation');
    expect((global as { isolation: string }[])[0]!.isolation).toBe('REPEATABLE-READ');
    const sessions = await everySession();
    expect(new Set(sessions.map((s) => s.id)).size).toBe(poolSize);
    expect(sessions.map((s) => s.isolation)).toEqual(Array(poolSize).fill('READ-COMMITTED'));
  });

  it('opens the replacements of killed connections in READ COMMITTED too', async () => {
    const before = await everySession();
    for (const { id } of before) await database().pool.query('KILL CONNECTION ?', [id]);
    const killed = new Set(before.map((s) => s.id));
    // The pool drops a connection when the server closes it; a statement on one not yet dropped fails once.
    let after: Session[] = [];
    for (let tries = 0; tries < 50; tries++) {
      after = await everySession().catch(() => []);
      if (after.length === poolSize && after.every((s) => !killed.has(s.id))) break;
      await sleep(100);
    }
    expect(after.filter((s) => killed.has(s.id))).toEqual([]);
    expect(after.map((s) => s.isolation)).toEqual(Array(poolSize).fill('READ-COMMITTED'));
  });

  it('reads rows committed by others after its transaction started (no snapshot held across statements)', async () => {
    await pool.query('CREATE TABLE IF NOT EXISTS rc_probe (id INT PRIMARY KEY) ENGINE=InnoDB');
    const conn = await pool.getConnection();
    try {
      await conn.beginTransaction();
      const count = async () =>
        Number(((await conn.query('SELECT COUNT(*) AS n FROM rc_probe'))[0] as { n: number }[])[0]!.n);
      const first = await count();
      await database().pool.query('INSERT INTO rc_probe (id) VALUES (?)', [first + 1]);
      expect(await count()).toBe(first + 1);
      await conn.commit();
    } finally {
      conn.release();
    }
  });
});

/**
 * A webhook's pace is one budget in the database: slots taken from two pools at once (two sidecars) are distinct,
 * one interval apart, in the order the row lock granted them; another webhook's budget is its own; a 429's hold
 * pushes every later slot past it.
 */
import mysql from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../sidecar/src/db/migrate.ts';
import { holdSends, takeSendSlot } from '../../sidecar/src/db/pacing.ts';
import { tableNames } from '../../sidecar/src/db/pool.ts';
import { useTestDatabase } from '../helpers/db.ts';

const database = useTestDatabase('pacing');
const t = tableNames('wp_');

function sidecarPool() {
  const { creds } = database();
  return mysql.createPool({
    host: creds.host,
    port: creds.port,
    user: creds.user,
    password: creds.password,
    database: creds.name,
    connectionLimit: 4,
    multipleStatements: true,
    timezone: 'Z',
  });
}

async function webhook(name: string): Promise<number> {
  const [r] = await database().pool.query<mysql.ResultSetHeader>(
    `INSERT INTO ${t.webhooks} (name, url, status, secret_enc, headers_enc, created_at, updated_at)
     VALUES (?, 'https://example.com/', 'active', 'x', 'x', UTC_TIMESTAMP(), UTC_TIMESTAMP())`,
    [name],
  );
  return r.insertId;
}

describe('pacing shared by every sidecar', () => {
  it('gives two sidecars distinct slots one interval apart from one budget', async () => {
    await migrate(database().pool as never, t, 'wp_');
    const id = await webhook('paced');
    const other = await webhook('other');
    const a = sidecarPool();
    const b = sidecarPool();
    try {
      const interval = 0.2; // 5 requests per second
      const slots = await Promise.all(
        Array.from({ length: 20 }, (_, i) => takeSendSlot(i % 2 ? a : b, t, id, interval)),
      );
      const times = slots.map((s) => Date.parse(`${s.at.replace(' ', 'T')}Z`)).sort((x, y) => x - y);
      expect(new Set(times).size).toBe(20);
      for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(200);
      // Nothing was skipped: the budget's next free time is right after the last slot.
      const [[row]] = (await database().pool.query(
        `SELECT CAST(next_send_at AS CHAR) AS next FROM ${t.webhooks} WHERE id = ?`,
        [id],
      )) as unknown as [{ next: string }[]];
      expect(Date.parse(`${row!.next.replace(' ', 'T')}Z`) - times.at(-1)!).toBe(200);
      expect((await takeSendSlot(a, t, other, interval)).waitMs).toBe(0);
    } finally {
      await a.end();
      await b.end();
    }
  });

  it("holds every later slot past a 429's wait", async () => {
    const id = await webhook('limited');
    const a = sidecarPool();
    try {
      await holdSends(a, t, id, 3);
      const first = await takeSendSlot(a, t, id, 0.1);
      expect(first.waitMs).toBeGreaterThan(2000);
      expect(first.waitMs).toBeLessThanOrEqual(3000);
      // A shorter hold does not pull the budget back in.
      await holdSends(a, t, id, 0.5);
      const second = await takeSendSlot(a, t, id, 0.1);
      expect(
        Date.parse(`${second.at.replace(' ', 'T')}Z`) - Date.parse(`${first.at.replace(' ', 'T')}Z`),
      ).toBe(100);
    } finally {
      await a.end();
    }
  });
});

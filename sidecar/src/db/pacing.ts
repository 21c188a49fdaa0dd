/**
 * SQL for a webhook's pace: its next free send time (`next_send_at`) lives in its row, so every sidecar on the
 * database draws from one budget per webhook. Taking a slot is one atomic UPDATE (the row lock orders concurrent
 * takers) and a read of the slot it took, in one round trip on the script pool.
 */
import type mysql from 'mysql2/promise';
import type { RowDataPacket } from 'mysql2';
import type { Pool, Tables } from './pool.ts';
import { runScript, type Statement } from './scripts.ts';

/**
 * The statements that take the webhook's next slot: the later of its next free time and now, pushed on by one
 * interval. The slot taken is kept in a session variable and read back as the wait from now (0 when due).
 */
export function takeSlot(t: Tables, webhookId: number, intervalSeconds: number): Statement[] {
  return [
    {
      sql: `UPDATE ${t.webhooks}
            SET next_send_at = (@fcwh_slot := GREATEST(COALESCE(next_send_at, UTC_TIMESTAMP(3)), UTC_TIMESTAMP(3)))
              + INTERVAL ? MICROSECOND
            WHERE id = ?`,
      values: [Math.round(intervalSeconds * 1e6), webhookId],
    },
    {
      sql: `SELECT GREATEST(0, TIMESTAMPDIFF(MICROSECOND, UTC_TIMESTAMP(3), @fcwh_slot)) AS wait_us,
              CAST(@fcwh_slot AS CHAR) AS slot`,
    },
  ];
}

export interface Slot {
  /** How long to wait for it, in milliseconds. */
  waitMs: number;
  /** The slot's time as the database wrote it (UTC, `YYYY-MM-DD HH:MM:SS.mmm`). */
  at: string;
}

/** Takes the webhook's next send slot. */
export async function takeSendSlot(
  scriptDb: Pool,
  t: Tables,
  webhookId: number,
  intervalSeconds: number,
): Promise<Slot> {
  const conn: mysql.PoolConnection = await scriptDb.getConnection();
  try {
    const results = await runScript(conn, takeSlot(t, webhookId, intervalSeconds));
    const row = (results[1] as RowDataPacket[])[0];
    return { waitMs: Number(row?.wait_us ?? 0) / 1000, at: String(row?.slot) };
  } finally {
    conn.release();
  }
}

/**
 * Holds the webhook's sends back by `seconds` from now (a 429's wait), unless they already wait longer: every
 * sidecar's next slot for it then comes after.
 */
export async function holdSends(db: Pool, t: Tables, webhookId: number, seconds: number): Promise<void> {
  await db.query(
    `UPDATE ${t.webhooks}
     SET next_send_at = GREATEST(COALESCE(next_send_at, UTC_TIMESTAMP(3)), UTC_TIMESTAMP(3) + INTERVAL ? MICROSECOND)
     WHERE id = ?`,
    [Math.round(seconds * 1e6), webhookId],
  );
}

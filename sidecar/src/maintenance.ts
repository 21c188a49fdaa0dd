/** Retention: prunes old delivered and failed deliveries, their attempts and orphaned events, in small batches. */
import type { ResultSetHeader, RowDataPacket } from 'mysql2';
import type { Pool, Tables } from './db/pool.ts';

/**
 * Ids of up to `?` deliveries settled more than `?` seconds ago. A range on the `retention (status, updated_at)`
 * index (migration 003) that stops at the batch; no ORDER BY id, which would sort every expired row when a large
 * backlog of them is due.
 */
export const expiredDeliveries = (t: Tables) =>
  `SELECT id FROM ${t.deliveries} WHERE status IN ('delivered', 'failed') AND updated_at < UTC_TIMESTAMP(3) - INTERVAL ? SECOND
   LIMIT ?`;

/** Deletes one batch; returns how many deliveries went. Small batches keep locks short on a live site. */
export async function pruneOnce(db: Pool, t: Tables, retentionDays: number, batch = 1000): Promise<number> {
  const seconds = Math.round(retentionDays * 86400);
  const [rows] = await db.query<RowDataPacket[]>(expiredDeliveries(t), [seconds, batch]);
  const ids = rows.map((r) => Number(r.id));
  if (ids.length > 0) {
    await db.query(`DELETE FROM ${t.attempts} WHERE delivery_id IN (?)`, [ids]);
    await db.query(`DELETE FROM ${t.deliveries} WHERE id IN (?)`, [ids]);
  }
  await db.query<ResultSetHeader>(
    `DELETE FROM ${t.events} WHERE created_at < UTC_TIMESTAMP(3) - INTERVAL ? SECOND
       AND NOT EXISTS (SELECT 1 FROM ${t.deliveries} d WHERE d.event_id = ${t.events}.id) ORDER BY id LIMIT ?`,
    [seconds, batch],
  );
  return ids.length;
}

/** Prunes until a batch comes back short. */
export async function pruneAll(db: Pool, t: Tables, retentionDays: number, batch = 1000): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await pruneOnce(db, t, retentionDays, batch);
    total += n;
    if (n < batch) return total;
  }
}

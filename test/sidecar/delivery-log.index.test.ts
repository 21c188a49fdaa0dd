/**
 * The delivery log's pages and counts filtered by event read one index range in id order, not the webhook's whole
 * history (migration 005), and those filtered by status read that status's rows: counted in rows the server
 * handled, over 20,000 deliveries of one webhook.
 */
import type { RowDataPacket } from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import {
  countDeliveries,
  deliveryPage,
  selectDeliveryPage,
  type DeliveryFilter,
} from '../../sidecar/src/db/delivery-log.ts';
import { migrate } from '../../sidecar/src/db/migrate.ts';
import { tableNames } from '../../sidecar/src/db/pool.ts';
import { sessionCounters, useTestDatabase } from '../helpers/db.ts';

const database = useTestDatabase('delivery_log_index');
const t = tableNames('wp_');
const total = 20_000;

/** The page (20 rows at `offset`) and the count for `filter`, with the rows each read (InnoDB handler calls). */
async function measured(filter: DeliveryFilter, offset = 0) {
  const conn = await database().pool.getConnection();
  try {
    const reads = () => sessionCounters(conn, `Variable_name LIKE 'Handler_read%'`);
    let before = await reads();
    const page = await selectDeliveryPage(conn, t, 1, filter, 20, offset);
    const pageReads = (await reads()) - before;
    before = await reads();
    const count = await countDeliveries(conn, t, 1, filter);
    return { ids: page.map((d) => Number(d.id)), pageReads, count, countReads: (await reads()) - before };
  } finally {
    conn.release();
  }
}

describe('the delivery log on a long history', () => {
  it('reads only the rows a filtered page or count needs, newest first', async () => {
    const { pool } = database();
    await migrate(pool, t, 'wp_');
    // Every 1,000th event is rare; every 100th delivery failed; webhook 2's rows are interleaved with webhook 1's.
    await pool.query(
      `INSERT INTO ${t.events} (uid, event, payload, created_at)
       SELECT CONCAT('msg_', seq), IF(seq % 1000 = 7, 'rare.event', 'feed.created'), '{}', NOW(3) FROM seq_1_to_${total}`,
    );
    await pool.query(
      `INSERT INTO ${t.deliveries} (webhook_id, event_id, event, status, next_attempt_at, created_at, updated_at)
       SELECT 1 + (id % 2 = 0 AND id % 1000 <> 7 AND id % 100 <> 3), id, event, IF(id % 100 = 3, 'failed', 'delivered'),
         NOW(3), NOW(3), NOW(3) FROM ${t.events}`,
    );
    await pool.query(`ANALYZE TABLE ${t.deliveries}`);

    const rare = await measured({ event: 'rare.event' });
    expect(rare.ids).toEqual(Array.from({ length: 20 }, (_, i) => total - 1000 * i - 993));
    expect(rare.count).toBe(20);
    const failed = await measured({ status: 'failed' }, 100);
    expect(failed.ids).toEqual(Array.from({ length: 20 }, (_, i) => total - 100 * (100 + i) - 97));
    expect(failed.count).toBe(200);
    const common = await measured({ event: 'feed.created' }, 100);
    expect(common.ids).toHaveLength(20);
    const both = await measured({ status: 'failed', event: 'rare.event' });
    expect(both.ids).toEqual([]);
    expect(both.count).toBe(0);
    // With the index: 40 / 21 rows read for the rare event's page / count, 240 for a common event's page at offset
    // 100 (its count reads the 9,980 rows it counts), 21 / 202 for both filters; without it 10,017 / 20,001 and
    // 10,001 / 201. A status alone has no index of its own (every status change would rewrite it): the failed page
    // reads and sorts the 200 failed rows (441 handler reads), not the webhook's 10,000.
    for (const m of [rare, common, both]) expect(m.pageReads).toBeLessThan(300);
    for (const m of [rare, failed, both]) expect(m.countReads).toBeLessThan(300);
    expect(failed.pageReads).toBeLessThan(1000);
  });

  it("reads each filter's page as one index range in id order, never sorting, unless filtered by status alone (MariaDB chose to intersect two indexes and sort on 1,000,000 rows)", async () => {
    const cases: [DeliveryFilter, string][] = [
      [{}, 'webhook_id'],
      [{ event: 'feed.created' }, 'log_by_event'],
      [{ event: 'feed.created', status: 'delivered' }, 'log_by_event'],
    ];
    for (const [filter, key] of cases) {
      const { sql, values } = deliveryPage(t, 1, filter, 20, 0);
      const [plan] = await database().pool.query<RowDataPacket[]>(`EXPLAIN ${sql}`, values);
      expect(plan[0]).toMatchObject({ table: 'd', key });
      expect(String(plan[0]!.Extra)).not.toContain('filesort');
    }
  });
});

/** Retention's prune reads an index range, not the whole deliveries table, when nothing is old enough to go. */
import type { RowDataPacket } from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../sidecar/src/db/migrate.ts';
import { tableNames } from '../../sidecar/src/db/pool.ts';
import { expiredDeliveries } from '../../sidecar/src/maintenance.ts';
import { useTestDatabase } from '../helpers/db.ts';

const database = useTestDatabase('retention_index');
const t = tableNames('wp_');

describe('the retention query', () => {
  it('is a covering range on the retention index, over 20,000 recent deliveries', async () => {
    const { pool } = database();
    await migrate(pool, t, 'wp_');
    await pool.query(
      `INSERT INTO ${t.deliveries} (webhook_id, event_id, event, status, next_attempt_at, created_at, updated_at)
       SELECT 1 + seq % 7, seq, 'feed.created', IF(seq % 20 = 0, 'failed', 'delivered'), NOW(3) - INTERVAL seq SECOND,
         NOW(3) - INTERVAL seq SECOND, NOW(3) - INTERVAL seq SECOND FROM seq_1_to_20000`,
    );
    await pool.query(`ANALYZE TABLE ${t.deliveries}`);
    const [plan] = await pool.query<RowDataPacket[]>(`EXPLAIN ${expiredDeliveries(t)}`, [30 * 86400, 1000]);
    expect(plan).toHaveLength(1);
    expect(plan[0]).toMatchObject({ type: 'range', key: 'retention' });
    expect(plan[0]!.Extra).toContain('Using index');
    expect(Number(plan[0]!.rows)).toBeLessThan(100);
  });
});

/**
 * Migrations cut short run again from the start: index changes written without MariaDB's IF [NOT] EXISTS (which
 * MySQL lacks) still pass when their index is already there or already gone; any other failure still stops.
 */
import type { RowDataPacket } from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import { migrate, migrations } from '../../sidecar/src/db/migrate.ts';
import { tableNames } from '../../sidecar/src/db/pool.ts';
import { useTestDatabase } from '../helpers/db.ts';

const database = useTestDatabase('migrate_rerun');
const t = tableNames('wp_');

const indexes = async () => {
  const [rows] = await database().pool.query<RowDataPacket[]>(`SHOW INDEX FROM ${t.deliveries}`);
  return [...new Set(rows.map((r) => String(r.Key_name)))].sort();
};

describe('migrations run again after being cut short', () => {
  it('uses no IF [NOT] EXISTS on indexes (MySQL has none)', () => {
    for (const m of migrations('wp_'))
      for (const statement of m.statements) expect(statement).not.toMatch(/INDEX IF (NOT )?EXISTS/i);
  });

  it('passes over indexes already added or dropped, and ends with the same schema', async () => {
    const { pool } = database();
    const shipped = migrations('wp_').map((m) => m.version);
    expect(await migrate(pool, t, 'wp_')).toEqual(shipped);
    const schema = await indexes();
    expect(schema).toEqual([
      'PRIMARY',
      'claim_by_webhook',
      'due_claim',
      'event_id',
      'log_by_event',
      'retention',
      'webhook_id',
    ]);
    // As if the sidecar had stopped after each migration's statements but before recording it.
    await pool.query(`DELETE FROM ${t.migrations} WHERE version >= 2`);
    expect(await migrate(pool, t, 'wp_')).toEqual(shipped.filter((v) => v >= 2));
    expect(await indexes()).toEqual(schema);
  });

  it('still stops on any other failure', async () => {
    const { pool } = database();
    await pool.query(`DELETE FROM ${t.migrations} WHERE version = 4`);
    await pool.query(`ALTER TABLE ${t.deliveries} DROP INDEX claim_by_webhook, DROP COLUMN next_attempt_at`);
    await expect(migrate(pool, t, 'wp_')).rejects.toMatchObject({ errno: 1072 }); // key column doesn't exist
  });
});

/** MariaDB's own counters (SHOW GLOBAL STATUS), read before and after a run to see what each delivery cost it. */
import type { RowDataPacket } from 'mysql2';
import { rootConnection, type MariaDbAddress } from '../stack/mariadb.ts';

const counters = [
  'Questions',
  'Com_commit',
  'Com_select',
  'Com_insert',
  'Com_insert_select',
  'Com_update',
  'Com_delete',
  'Innodb_os_log_fsyncs',
  'Innodb_data_fsyncs',
  'Innodb_rows_read',
  'Innodb_row_lock_waits',
  'Innodb_deadlocks',
  'Handler_read_next',
];

export type DbCounters = Record<string, number>;

export async function readCounters(address: MariaDbAddress): Promise<DbCounters> {
  const conn = await rootConnection(address);
  try {
    const [rows] = await conn.query<RowDataPacket[]>(`SHOW GLOBAL STATUS WHERE Variable_name IN (?)`, [
      counters,
    ]);
    return Object.fromEntries(rows.map((r) => [r.Variable_name as string, Number(r.Value)]));
  } finally {
    await conn.end();
  }
}

/** Counter increases between two readings, divided by `per` (e.g. deliveries), rounded to 2 decimals. */
export function perUnit(before: DbCounters, after: DbCounters, per: number): DbCounters {
  return Object.fromEntries(
    Object.keys(after).map((k) => [k, Math.round(((after[k]! - (before[k] ?? 0)) / per) * 100) / 100]),
  );
}

/** SQL of the quarantine: inbox rows set aside with the reason they could not be turned into events. */
import type { ResultSetHeader, RowDataPacket } from 'mysql2';
import type { Conn, Tables } from './pool.ts';
import type { Statement } from './scripts.ts';

/** Longest reason kept (the column's width). */
const maxError = 1024;

/**
 * Moves inbox rows into the quarantine with `error`, in the caller's transaction: the copy and the delete commit
 * together, so a row is always in one table or the other.
 */
export function quarantineRows(t: Tables, ids: number[], error: string): Statement[] {
  return [
    {
      sql: `INSERT INTO ${t.quarantine} (inbox_id, hook, args, actor_id, request_id, occurred_at, error, quarantined_at)
       SELECT id, hook, args, actor_id, request_id, occurred_at, ?, UTC_TIMESTAMP(3) FROM ${t.inbox} WHERE id IN (?)
       ORDER BY id`,
      values: [error.slice(0, maxError), ids],
    },
    { sql: `DELETE FROM ${t.inbox} WHERE id IN (?)`, values: [ids] },
  ];
}

/** One inbox row by id, locked (SKIP LOCKED: another sidecar working on it keeps it); none when it is gone. */
export function inboxRowById(t: Tables, id: number): Statement {
  return {
    sql: `SELECT id, hook, args, actor_id, request_id, occurred_at FROM ${t.inbox} WHERE id = ? FOR UPDATE SKIP LOCKED`,
    values: [id],
  };
}

export interface QuarantinedRow {
  id: number;
  inbox_id: number;
  hook: string;
  actor_id: number;
  request_id: string;
  occurred_at: string;
  /** Length of the arguments in bytes (the arguments themselves can be large: they stay in the database). */
  args_bytes: number;
  error: string;
  quarantined_at: string;
}

/** A page of the quarantine, oldest first, and how many rows it holds. */
export async function listQuarantine(
  db: Conn,
  t: Tables,
  page: number,
  perPage: number,
): Promise<{ rows: QuarantinedRow[]; total: number }> {
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT id, inbox_id, hook, actor_id, request_id, occurred_at, LENGTH(args) AS args_bytes, error, quarantined_at
     FROM ${t.quarantine} ORDER BY id LIMIT ? OFFSET ?`,
    [perPage, (page - 1) * perPage],
  );
  return {
    rows: rows.map((r) => ({
      ...(r as QuarantinedRow),
      id: Number(r.id),
      inbox_id: Number(r.inbox_id),
      actor_id: Number(r.actor_id),
      args_bytes: Number(r.args_bytes),
    })),
    total: await countQuarantine(db, t),
  };
}

export async function countQuarantine(db: Conn, t: Tables): Promise<number> {
  const [rows] = await db.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${t.quarantine}`);
  return Number(rows[0]?.n ?? 0);
}

/**
 * Moves a quarantined row back to the end of the inbox, in the caller's transaction (the copy and the delete
 * commit together). Returns the new inbox id, or null when no such row is quarantined.
 */
export async function requeueQuarantined(db: Conn, t: Tables, id: number): Promise<number | null> {
  const [copied] = await db.query<ResultSetHeader>(
    `INSERT INTO ${t.inbox} (hook, args, actor_id, request_id, occurred_at)
     SELECT hook, args, actor_id, request_id, occurred_at FROM ${t.quarantine} WHERE id = ? FOR UPDATE`,
    [id],
  );
  if (copied.affectedRows === 0) return null;
  await db.query(`DELETE FROM ${t.quarantine} WHERE id = ?`, [id]);
  return copied.insertId;
}

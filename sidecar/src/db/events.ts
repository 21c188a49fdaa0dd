/** SQL for the inbox, events, fan-out and the site's user and profile tables. */
import type { ResultSetHeader, RowDataPacket } from 'mysql2';
import type { WpUserRow } from '../../../shared/payloads.ts';
import type { Conn, Tables } from './pool.ts';

export interface InboxRow {
  id: number;
  hook: string;
  args: string;
  actor_id: number;
  request_id: string;
  occurred_at: string;
}

/**
 * Claims the oldest inbox rows. SKIP LOCKED lets several sidecars drain the inbox at once without waiting on each
 * other's rows; the rows stay locked until the caller's transaction deletes them and commits.
 */
export async function claimInbox(db: Conn, t: Tables, limit: number): Promise<InboxRow[]> {
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT id, hook, args, actor_id, request_id, occurred_at FROM ${t.inbox} ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED`,
    [limit],
  );
  return rows as InboxRow[];
}

export async function deleteInbox(db: Conn, t: Tables, ids: number[]): Promise<void> {
  if (ids.length) await db.query(`DELETE FROM ${t.inbox} WHERE id IN (?)`, [ids]);
}

export interface NewEvent {
  uid: string;
  event: string;
  payload: string;
  createdAt: string;
}

/** Inserts events; returns their ids in order (one multi-row INSERT gets consecutive auto-increment ids). */
export async function insertEvents(db: Conn, t: Tables, events: NewEvent[]): Promise<number[]> {
  if (events.length === 0) return [];
  const [result] = await db.query<ResultSetHeader>(
    `INSERT INTO ${t.events} (uid, event, payload, created_at) VALUES ?`,
    [events.map((e) => [e.uid, e.event, e.payload, e.createdAt])],
  );
  // InnoDB gives a multi-row INSERT consecutive ids (innodb_autoinc_lock_mode 1 or 2 with one statement): the
  // first is insertId. This holds for "simple inserts" whose row count is known in advance, as here.
  return events.map((_, i) => result.insertId + i);
}

/**
 * Fans events out: one pending delivery per active webhook subscribed to the event (or to `*`). Returns how many
 * deliveries were created.
 */
export async function insertDeliveriesFor(db: Conn, t: Tables, eventIds: number[]): Promise<number> {
  if (eventIds.length === 0) return 0;
  const [result] = await db.query<ResultSetHeader>(
    `INSERT INTO ${t.deliveries} (webhook_id, event_id, event, status, next_attempt_at, created_at, updated_at)
     SELECT DISTINCT w.id, e.id, e.event, 'pending', UTC_TIMESTAMP(3), UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)
     FROM ${t.events} e
     JOIN ${t.subscriptions} s ON s.event IN (e.event, '*')
     JOIN ${t.webhooks} w ON w.id = s.webhook_id AND w.status = 'active'
     WHERE e.id IN (?)`,
    [eventIds],
  );
  return result.affectedRows;
}

export type UserRow = WpUserRow;

/** A WordPress user with first and last name; null when there is none. Never reads the password column. */
export async function selectUser(db: Conn, t: Tables, id: number): Promise<UserRow | null> {
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT u.ID, u.user_login, u.user_email, u.user_url, u.user_registered, u.display_name,
       (SELECT meta_value FROM ${t.usermeta} WHERE user_id = u.ID AND meta_key = 'first_name' LIMIT 1) AS first_name,
       (SELECT meta_value FROM ${t.usermeta} WHERE user_id = u.ID AND meta_key = 'last_name' LIMIT 1) AS last_name
     FROM ${t.users} u WHERE u.ID = ?`,
    [id],
  );
  const row = rows[0];
  return row ? ({ ...row, ID: Number(row.ID) } as UserRow) : null;
}

/** An acting user and their Fluent Community profile, each null when absent. */
export interface ActorRows {
  user: UserRow | null;
  xprofile: Record<string, unknown> | null;
}

/**
 * The acting user (as selectUser) and their profile row (as selectXprofile) in one statement: one round trip on
 * the event's way out instead of two. When Fluent Community's table is missing, the user alone.
 */
export async function selectActor(db: Conn, t: Tables, id: number): Promise<ActorRows> {
  try {
    // nestTables: the profile's columns (x.*) come back apart from the user's, whatever their names.
    const [rows] = await db.query<RowDataPacket[]>(
      {
        sql: `SELECT u.ID, u.user_login, u.user_email, u.user_url, u.user_registered, u.display_name,
           (SELECT meta_value FROM ${t.usermeta} WHERE user_id = u.ID AND meta_key = 'first_name' LIMIT 1) AS first_name,
           (SELECT meta_value FROM ${t.usermeta} WHERE user_id = u.ID AND meta_key = 'last_name' LIMIT 1) AS last_name,
           x.*
         FROM (SELECT ? AS id) k LEFT JOIN ${t.users} u ON u.ID = k.id LEFT JOIN ${t.xprofile} x ON x.user_id = k.id
         LIMIT 1`,
        nestTables: true,
      },
      [id],
    );
    const row = rows[0] as Record<string, Record<string, unknown>> | undefined;
    const u = row?.u;
    const x = row?.x;
    return {
      user: u && u.ID !== null ? ({ ...u, ...row[''], ID: Number(u.ID) } as UserRow) : null,
      xprofile: x && x.user_id !== null && x.user_id !== undefined ? x : null,
    };
  } catch (error) {
    if ((error as { errno?: number }).errno !== 1146) throw error; // ER_NO_SUCH_TABLE: Fluent Community absent
    return { user: await selectUser(db, t, id), xprofile: null };
  }
}

/** SQL for the inbox, events and the site's user and profile tables (the fan-out is delivery/fan-out.ts). */
import type { RowDataPacket } from 'mysql2';
import type { WpUserRow } from '../../../shared/payloads.ts';
import type { FilterFacts } from './filters.ts';
import type { Conn, Tables } from './pool.ts';
import type { Statement } from './scripts.ts';

export interface InboxRow {
  id: number;
  hook: string;
  /** Null when the row is past the batch's byte budget (see inboxSelect). */
  args: string | null;
  actor_id: number;
  request_id: string;
  occurred_at: string;
}

/**
 * The oldest inbox rows, locked. SKIP LOCKED lets several sidecars drain the inbox at once without waiting on each
 * other's rows; the rows stay locked until the caller's transaction deletes them and commits. Arguments come back
 * only while the running total of the oldest `limit` rows' stays within `maxBytes` (always for the first row): 500
 * rows of long posts could otherwise bring tens of MB into a 64 MB heap, and their events into one statement over
 * `max_allowed_packet`, failing the same batch again and again. A row past the budget comes back with `args` null:
 * it is left as it is (unlocked at the commit) for the next batch. The total is summed in a derived table over
 * lengths only (a window over the locking read itself would copy every row's arguments), and over the oldest
 * `limit` rows only (a window is computed before its own query's LIMIT, so one over the whole table would read
 * every waiting row on every batch). It counts rows other sidecars hold too, so the budget is never exceeded, only
 * sometimes not used up.
 */
export function inboxSelect(t: Tables, limit: number, maxBytes: number): Statement {
  return {
    sql: `SELECT i.id, i.hook, i.actor_id, i.request_id, i.occurred_at, IF(b.rn = 1 OR b.upto <= ?, i.args, NULL) AS args
     FROM ${t.inbox} i JOIN (SELECT id, ROW_NUMBER() OVER (ORDER BY id) AS rn, SUM(len) OVER (ORDER BY id) AS upto
       FROM (SELECT id, LENGTH(args) AS len FROM ${t.inbox} ORDER BY id LIMIT ?) oldest) b ON b.id = i.id
     ORDER BY i.id LIMIT ? FOR UPDATE SKIP LOCKED`,
    values: [maxBytes, limit, limit],
  };
}

export function inboxDelete(t: Tables, ids: number[]): Statement {
  return { sql: `DELETE FROM ${t.inbox} WHERE id IN (?)`, values: [ids] };
}

export interface NewEvent {
  uid: string;
  event: string;
  payload: string;
  createdAt: string;
  /** What webhook filters see of it: its space and its actor's roles (sidecar/src/scopes.ts). */
  facts: FilterFacts;
}

/**
 * Inserts events with one multi-row INSERT. InnoDB gives it consecutive ids (innodb_autoinc_lock_mode 1 or 2 with
 * one statement whose row count is known in advance, a "simple insert"): the first is its insertId and, for the
 * session's next statements, LAST_INSERT_ID().
 */
export function eventsInsert(t: Tables, events: NewEvent[]): Statement {
  return {
    sql: `INSERT INTO ${t.events} (uid, event, payload, created_at, space_id, space_privacy, space_parent_id, actor_roles)
     VALUES ?`,
    values: [events.map((e) => [e.uid, e.event, e.payload, e.createdAt, ...e.facts])],
  };
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

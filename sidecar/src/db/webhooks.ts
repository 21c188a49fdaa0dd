/** SQL for webhooks and their subscriptions: one exported function per statement. */
import type { ResultSetHeader, RowDataPacket } from 'mysql2';
import { deleteFilterRows, type FilterColumns } from './filters.ts';
import type { Conn, Tables } from './pool.ts';

export interface WebhookRow extends FilterColumns {
  id: number;
  name: string;
  /** The masked URL (lists, search); the real one is sealed in url_enc (sealed-webhook.ts). */
  url: string;
  url_enc: string | null;
  status: 'active' | 'inactive';
  secret_enc: string;
  previous_secret_enc: string | null;
  previous_secret_expires_at: string | null;
  headers_enc: string;
  retry_count: number;
  /** One of shared/destinations.ts `formats`. */
  format: string;
  /** 1 while the format follows the URL (never given explicitly). */
  format_auto: number;
  template: string | null;
  content_type: string | null;
  /** The format's options as JSON; null for none. */
  options: string | null;
  /** Requests per second, as DECIMAL (a string); null for the format's default. */
  rate_limit: string | null;
  last_triggered_at: string | null;
  last_error: string | null;
  /** The HTTP status of the latest recorded attempt; null before any, or when it got no answer. */
  last_status_code: number | null;
  created_at: string;
  updated_at: string;
  /** Comma-separated fields whose values did not open at the last check (sealed-upgrade.ts), else null. */
  unreadable: string | null;
  /** 1 when the sidecar deactivated the webhook for unreadable values: mending them turns it back on. */
  reactivate_when_mended: number;
  /** Comma-separated subscribed event names. */
  events: string | null;
}

/** Columns a caller may write. */
export type WebhookWrite = Partial<
  Pick<
    WebhookRow,
    | 'name'
    | 'url'
    | 'url_enc'
    | 'unreadable'
    | 'reactivate_when_mended'
    | 'status'
    | 'secret_enc'
    | 'previous_secret_enc'
    | 'previous_secret_expires_at'
    | 'headers_enc'
    | 'retry_count'
    | 'last_error'
    | 'format'
    | 'format_auto'
    | 'template'
    | 'content_type'
    | 'options'
  >
> & { rate_limit?: number | null };

/** What a webhook sends, as written on create and update. */
export type DestinationWrite = Required<
  Pick<WebhookWrite, 'format' | 'format_auto' | 'template' | 'content_type' | 'options' | 'rate_limit'>
>;

const select = (t: Tables) =>
  `SELECT w.*, (SELECT GROUP_CONCAT(s.event) FROM ${t.subscriptions} s WHERE s.webhook_id = w.id) AS events
   FROM ${t.webhooks} w`;

export async function selectWebhook(
  db: Conn,
  t: Tables,
  id: number,
  forUpdate = false,
): Promise<WebhookRow | null> {
  const [rows] = await db.query<RowDataPacket[]>(
    `${select(t)} WHERE w.id = ?${forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return (rows[0] as WebhookRow | undefined) ?? null;
}

export interface WebhookFilter {
  search?: string | undefined;
  status?: string | undefined;
  event?: string | undefined;
}

function where(t: Tables, f: WebhookFilter): [string, unknown[]] {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (f.search) {
    const like = `%${f.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    clauses.push('(w.name LIKE ? OR w.url LIKE ?)');
    params.push(like, like);
  }
  if (f.status) {
    clauses.push('w.status = ?');
    params.push(f.status);
  }
  if (f.event) {
    clauses.push(
      `EXISTS (SELECT 1 FROM ${t.subscriptions} s WHERE s.webhook_id = w.id AND s.event IN (?, '*'))`,
    );
    params.push(f.event);
  }
  return [clauses.length ? ` WHERE ${clauses.join(' AND ')}` : '', params];
}

/** Every webhook id, in order (the start-up check of sealed values). */
export async function selectWebhookIds(db: Conn, t: Tables): Promise<number[]> {
  const [rows] = await db.query<RowDataPacket[]>(`SELECT id FROM ${t.webhooks} ORDER BY id`);
  return rows.map((r) => Number(r.id));
}

export async function selectWebhookPage(
  db: Conn,
  t: Tables,
  filter: WebhookFilter,
  limit: number,
  offset: number,
): Promise<WebhookRow[]> {
  const [clause, params] = where(t, filter);
  const [rows] = await db.query<RowDataPacket[]>(`${select(t)}${clause} ORDER BY w.id ASC LIMIT ? OFFSET ?`, [
    ...params,
    limit,
    offset,
  ]);
  return rows as WebhookRow[];
}

export async function countWebhooks(db: Conn, t: Tables, filter: WebhookFilter): Promise<number> {
  const [clause, params] = where(t, filter);
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT COUNT(*) AS n FROM ${t.webhooks} w${clause}`,
    params,
  );
  return Number(rows[0]?.n ?? 0);
}

export async function insertWebhook(
  db: Conn,
  t: Tables,
  values: Required<
    Omit<
      WebhookWrite,
      | 'previous_secret_enc'
      | 'previous_secret_expires_at'
      | 'last_error'
      | 'url_enc'
      | 'unreadable'
      | 'reactivate_when_mended'
      | keyof DestinationWrite
    >
  >,
): Promise<number> {
  const [result] = await db.query<ResultSetHeader>(
    `INSERT INTO ${t.webhooks} (name, url, status, secret_enc, headers_enc, retry_count, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(), UTC_TIMESTAMP())`,
    [values.name, values.url, values.status, values.secret_enc, values.headers_enc, values.retry_count],
  );
  return result.insertId;
}

/** Writes the given columns and bumps updated_at. Column names come from WebhookWrite's keys only. */
export async function updateWebhookColumns(
  db: Conn,
  t: Tables,
  id: number,
  values: WebhookWrite,
): Promise<void> {
  const allowed = new Set<string>([
    'name',
    'url',
    'url_enc',
    'unreadable',
    'reactivate_when_mended',
    'status',
    'secret_enc',
    'previous_secret_enc',
    'previous_secret_expires_at',
    'headers_enc',
    'retry_count',
    'last_error',
    'format',
    'format_auto',
    'template',
    'content_type',
    'options',
    'rate_limit',
  ]);
  const entries = Object.entries(values).filter(([k, v]) => allowed.has(k) && v !== undefined);
  const sets = entries.map(([k]) => `\`${k}\` = ?`);
  await db.query(
    `UPDATE ${t.webhooks} SET ${[...sets, 'updated_at = UTC_TIMESTAMP()'].join(', ')} WHERE id = ?`,
    [...entries.map(([, v]) => v), id],
  );
}

/**
 * Subscribes a webhook just inserted (it has none yet). No DELETE first: on an id past every existing one, a
 * DELETE that finds nothing still gap-locks the end of the `webhook_id` index under REPEATABLE READ, and two
 * concurrent creations then each wait to INSERT into the other's gap (deadlock 1213).
 */
export async function insertSubscriptions(
  db: Conn,
  t: Tables,
  id: number,
  events: readonly string[],
): Promise<void> {
  if (events.length === 0) return;
  await db.query(`INSERT INTO ${t.subscriptions} (event, webhook_id) VALUES ?`, [events.map((e) => [e, id])]);
}

/** Replaces an existing webhook's subscriptions (the caller holds its row locked). */
export async function replaceSubscriptions(
  db: Conn,
  t: Tables,
  id: number,
  events: readonly string[],
): Promise<void> {
  await db.query(`DELETE FROM ${t.subscriptions} WHERE webhook_id = ?`, [id]);
  await insertSubscriptions(db, t, id, events);
}

/** Deletes a webhook with its subscriptions, deliveries and attempts. Returns false when it did not exist. */
export async function deleteWebhookCascade(db: Conn, t: Tables, id: number): Promise<boolean> {
  const [result] = await db.query<ResultSetHeader>(`DELETE FROM ${t.webhooks} WHERE id = ?`, [id]);
  await db.query(`DELETE FROM ${t.subscriptions} WHERE webhook_id = ?`, [id]);
  await deleteFilterRows(db, t, id);
  await db.query(`DELETE FROM ${t.attempts} WHERE webhook_id = ?`, [id]);
  await db.query(`DELETE FROM ${t.deliveries} WHERE webhook_id = ?`, [id]);
  return result.affectedRows > 0;
}

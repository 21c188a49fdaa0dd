/** Puts a figure's starting state in place: WordPress user tables, webhooks (through the API), events, deliveries. */
import type mysql from 'mysql2/promise';
import { exampleCalls } from '../../shared/event-examples.ts';
import type { HookCall } from '../../shared/schemas.ts';
import type { Sidecar } from '../stack/sidecar.ts';

/** The two WordPress tables the sidecar reads when it builds payloads (a bare database has no WordPress). */
export async function createWpUserTables(pool: mysql.Pool): Promise<void> {
  await pool.query(`
    CREATE TABLE IF NOT EXISTS wp_users (
      ID BIGINT UNSIGNED NOT NULL AUTO_INCREMENT, user_login VARCHAR(60) NOT NULL DEFAULT '',
      user_pass VARCHAR(255) NOT NULL DEFAULT '', user_nicename VARCHAR(50) NOT NULL DEFAULT '',
      user_email VARCHAR(100) NOT NULL DEFAULT '', user_url VARCHAR(100) NOT NULL DEFAULT '',
      user_registered DATETIME NOT NULL DEFAULT '2024-01-01 00:00:00', user_activation_key VARCHAR(255) NOT NULL DEFAULT '',
      user_status INT NOT NULL DEFAULT 0, display_name VARCHAR(250) NOT NULL DEFAULT '', PRIMARY KEY (ID)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;
    CREATE TABLE IF NOT EXISTS wp_usermeta (
      umeta_id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT, user_id BIGINT UNSIGNED NOT NULL DEFAULT 0,
      meta_key VARCHAR(255) NULL, meta_value LONGTEXT NULL, PRIMARY KEY (umeta_id), KEY user_id (user_id),
      KEY meta_key (meta_key(191))
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;
    INSERT IGNORE INTO wp_users (ID, user_login, user_email, display_name) VALUES
      (1, 'ada', 'ada@example.com', 'Ada Lovelace'), (2, 'grace', 'grace@example.com', 'Grace Hopper');
    INSERT INTO wp_usermeta (user_id, meta_key, meta_value) VALUES
      (1, 'first_name', 'Ada'), (1, 'last_name', 'Lovelace'), (2, 'first_name', 'Grace'), (2, 'last_name', 'Hopper');`);
  await createXprofileTable(pool);
}

/**
 * Fluent Community's profile table with a row per user, as on a real community site (without it every payload
 * build also pays a failing query).
 */
export async function createXprofileTable(pool: mysql.Pool): Promise<void> {
  await pool.query(`
    CREATE TABLE IF NOT EXISTS wp_fcom_xprofile (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT, user_id BIGINT UNSIGNED NOT NULL, total_points INT NOT NULL DEFAULT 0,
      is_verified TINYINT NOT NULL DEFAULT 0, status VARCHAR(50) NOT NULL DEFAULT 'active',
      display_name VARCHAR(192) NULL, username VARCHAR(100) NULL, avatar TEXT NULL, cover_photo TEXT NULL,
      website VARCHAR(192) NULL, short_description TEXT NULL, meta LONGTEXT NULL, last_activity DATETIME NULL,
      created_at TIMESTAMP NULL, updated_at TIMESTAMP NULL, PRIMARY KEY (id), KEY user_id (user_id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;
    INSERT INTO wp_fcom_xprofile (user_id, total_points, display_name, username, short_description, meta, created_at)
    SELECT ID, 10, display_name, user_login, 'Bench member', 'a:0:{}', '2024-01-01 00:00:00' FROM wp_users
    WHERE ID NOT IN (SELECT user_id FROM wp_fcom_xprofile);`);
}

/** A `feed.created` call as the plugin forwards it, stamped with `at` (epoch ms; default now). */
export function feedCreatedCall(at = Date.now(), id = 1): HookCall {
  const example = exampleCalls['feed.created'];
  const [post] = example.args as [Record<string, unknown>];
  return {
    hook: example.hook,
    args: [{ ...post, id }],
    actor_id: example.actorId,
    occurred_at: new Date(at).toISOString(),
  };
}

async function call(sidecar: Sidecar, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${sidecar.url}${path}`, {
    method,
    headers: { authorization: sidecar.authorization, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** Creates a webhook through the management API (so its secret is encrypted as in production); returns its id. */
export async function createWebhook(
  sidecar: Sidecar,
  url: string,
  events: string[] = ['feed.created'],
  name = 'bench',
): Promise<number> {
  const body = (await call(sidecar, 'POST', '/admin/webhooks', { name, url, events })) as { id: number };
  return body.id;
}

/** Changes a webhook through the management API (e.g. its URL). */
export async function updateWebhook(
  sidecar: Sidecar,
  id: number,
  change: Record<string, unknown>,
): Promise<void> {
  await call(sidecar, 'PUT', `/admin/webhooks/${id}`, change);
}

/** POST /events with these calls. */
export async function ingest(
  sidecar: Sidecar,
  calls: HookCall[],
): Promise<{ accepted: number; events: number }> {
  return (await call(sidecar, 'POST', '/events', { events: calls })) as { accepted: number; events: number };
}

export interface CloneOptions {
  /** How many events to make, each with one delivery per listed webhook. */
  count: number;
  webhookIds: number[];
  /** Delivery state: 'pending' due now (default), or as given. */
  status?: 'pending' | 'delivered';
  /** Seconds from now until due (negative = overdue); default 0. */
  dueInSeconds?: number;
  /** Attempts already made (a backlog after an outage has 1). */
  attempts?: number;
  /** Age of the rows in seconds (old delivered history); default 0. */
  ageSeconds?: number;
  /** Also write one attempt row per delivery (history tables). */
  withAttempts?: boolean;
}

/**
 * Copies the payload of event `templateId` into `count` new events with their deliveries, server-side
 * (MariaDB's sequence engine), in chunks: 100 000 rows cost seconds instead of minutes of client round trips.
 */
export async function cloneEvents(
  pool: mysql.Pool,
  templateId: number,
  options: CloneOptions,
): Promise<void> {
  const chunk = 50_000;
  const age = options.ageSeconds ?? 0;
  for (let done = 0; done < options.count; done += chunk) {
    const n = Math.min(chunk, options.count - done);
    const conn = await pool.getConnection();
    try {
      await conn.beginTransaction();
      const [[{ first }]] = (await conn.query(
        `SELECT COALESCE(MAX(id), 0) + 1 AS first FROM wp_fcwh_events`,
      )) as never as [[{ first: number }]];
      await conn.query(
        `INSERT INTO wp_fcwh_events (id, uid, event, payload, created_at)
         SELECT ? + s.seq - 1, CONCAT('msg_bench', LPAD(? + s.seq, 18, '0')), e.event, e.payload,
           UTC_TIMESTAMP(3) - INTERVAL ? SECOND
         FROM seq_1_to_${n} s JOIN wp_fcwh_events e ON e.id = ?`,
        [first, first, age, templateId],
      );
      for (const webhookId of options.webhookIds) await insertDeliveries(conn, first, n, webhookId, options);
      await conn.commit();
    } finally {
      conn.release();
    }
  }
}

async function insertDeliveries(
  conn: mysql.PoolConnection,
  firstEvent: number,
  n: number,
  webhookId: number,
  options: CloneOptions,
): Promise<void> {
  const age = options.ageSeconds ?? 0;
  const delivered = options.status === 'delivered';
  const [result] = (await conn.query(
    `INSERT INTO wp_fcwh_deliveries (webhook_id, event_id, event, status, attempts, next_attempt_at, last_status_code,
       last_error, created_at, updated_at, delivered_at)
     SELECT ?, e.id, e.event, ?, ?, UTC_TIMESTAMP(3) + INTERVAL ? SECOND, ?, ?, e.created_at, e.created_at, ?
     FROM wp_fcwh_events e WHERE e.id BETWEEN ? AND ?`,
    [
      webhookId,
      delivered ? 'delivered' : 'pending',
      options.attempts ?? (delivered ? 1 : 0),
      delivered ? -age : (options.dueInSeconds ?? 0),
      delivered ? 200 : options.attempts ? null : null,
      options.attempts && !delivered ? 'Connection refused.' : null,
      delivered ? new Date(Date.now() - age * 1000).toISOString().slice(0, 23).replace('T', ' ') : null,
      firstEvent,
      firstEvent + n - 1,
    ],
  )) as never as [{ insertId: number; affectedRows: number }];
  if (!options.withAttempts) return;
  await conn.query(
    `INSERT INTO wp_fcwh_attempts (delivery_id, webhook_id, attempt, started_at, duration_ms, status_code, error,
       response_excerpt, request_headers)
     SELECT d.id, d.webhook_id, 1, d.updated_at, 3, 200, NULL, 'ok', ?
     FROM wp_fcwh_deliveries d WHERE d.id BETWEEN ? AND ?`,
    [sampleRequestHeaders, result.insertId, result.insertId + result.affectedRows - 1],
  );
}

/** What a stored attempt's request headers look like (signatures redacted), for history rows. */
const sampleRequestHeaders = JSON.stringify({
  'content-type': 'application/json',
  'user-agent': 'FluentCommunityWebhooks/0.1.0',
  'x-fluent-event': 'feed.created',
  'x-fluent-webhook-id': '1',
  'x-fluent-signature': '[redacted]',
  'webhook-id': 'msg_0000000000000000000000000',
  'webhook-timestamp': '1700000000',
  'webhook-signature': '[redacted]',
});

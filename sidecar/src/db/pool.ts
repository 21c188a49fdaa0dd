/** The MySQL connection pool and the table names for the site's prefix. */
import mysql from 'mysql2/promise';
import type { Config } from '../config.ts';

export type Pool = mysql.Pool;
export type Conn = mysql.PoolConnection | mysql.Pool;

export interface Tables {
  readonly webhooks: string;
  readonly subscriptions: string;
  readonly inbox: string;
  readonly quarantine: string;
  readonly events: string;
  readonly deliveries: string;
  readonly attempts: string;
  readonly migrations: string;
  readonly users: string;
  readonly usermeta: string;
  readonly xprofile: string;
  readonly webhookSpaces: string;
  readonly webhookRoles: string;
  /** Fluent Community's spaces (communities, courses, space groups) and posts: read for event scopes. */
  readonly fcomSpaces: string;
  readonly fcomPosts: string;
  /** The user meta key holding a user's roles on this site (`wp_capabilities`): a key, not a table. */
  readonly capabilitiesKey: string;
  /** WordPress's options (the site's name, address and admin e-mail). */
  readonly options: string;
}

/**
 * Table names with the site's prefix (validated to [A-Za-z0-9_] by the config). The users tables take
 * `usersPrefix`: on a multisite network they are the network's (wp-config.php's `$table_prefix`), not the site's.
 */
export function tableNames(prefix: string, usersPrefix = prefix): Tables {
  const t = (name: string) => `\`${prefix}${name}\``;
  return {
    webhooks: t('fcwh_webhooks'),
    subscriptions: t('fcwh_subscriptions'),
    inbox: t('fcwh_inbox'),
    quarantine: t('fcwh_quarantine'),
    events: t('fcwh_events'),
    deliveries: t('fcwh_deliveries'),
    attempts: t('fcwh_attempts'),
    migrations: t('fcwh_migrations'),
    users: `\`${usersPrefix}users\``,
    usermeta: `\`${usersPrefix}usermeta\``,
    xprofile: t('fcom_xprofile'),
    webhookSpaces: t('fcwh_webhook_spaces'),
    webhookRoles: t('fcwh_webhook_roles'),
    fcomSpaces: t('fcom_spaces'),
    fcomPosts: t('fcom_posts'),
    capabilitiesKey: `${prefix}capabilities`,
    options: t('options'),
  };
}

/**
 * Every session of the sidecar runs in READ COMMITTED. Under REPEATABLE READ (InnoDB's default) a claim's
 * `SELECT … FOR UPDATE SKIP LOCKED` takes next-key locks over the whole due range it scanned, and a fan-out INSERT
 * landing in that range waits for the claim to commit (a black-holed endpoint's backlog made a healthy endpoint's
 * p99 +40–84 %: docs/BENCHMARKS.md, P5); a DELETE that finds nothing locks the gap it looked at. READ COMMITTED
 * takes no gap locks; claims stay exclusive through the row locks SKIP LOCKED honours and through leases.
 */
export const isolationSetup = 'SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED';

/**
 * The sql_mode of every session, whatever the server's: the server's own can hold NO_BACKSLASH_ESCAPES (a `\'`
 * then ends a string) or ANSI_QUOTES (`"` quotes names). Strict, as MariaDB's and MySQL's defaults are, so a value
 * that does not fit its column fails its statement instead of being cut.
 */
export const sessionSqlMode = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION';

/** What each new connection runs before it is handed out, in order. */
export const sessionSetup = [isolationSetup, `SET SESSION sql_mode = '${sessionSqlMode}'`] as const;

/** Opens a pool. Times are UTC; DATETIME values come back as strings so they are shown as stored. */
export function createPool(config: Config): Pool {
  return withSessionSetup(openPool(config, { connectionLimit: config.dbPoolSize }));
}

/**
 * Opens the pool for scripts (db/scripts.ts): its connections take several statements in one query
 * (`multipleStatements`), so a transaction on the event's way out (inbox drain, fan-out, claim) costs four round
 * trips instead of ten or more, and a recorded batch one. Only `runScript` sends through it, with fixed statement
 * texts and `?` placeholders whose strings go as hex (queryFormat); the main pool keeps refusing multi-statement queries.
 * Connections open on demand: the worker's loop, the recorder's batch and the ingest transaction take one each.
 */
export function createScriptPool(config: Config): Pool {
  return withSessionSetup(
    openPool(config, {
      connectionLimit: Math.max(2, Math.ceil(config.dbPoolSize / 2)),
      multipleStatements: true,
    }),
  );
}

function withSessionSetup(pool: Pool): Pool {
  // Emitted for every connection the pool opens (at start, on demand, and after a restart of the server dropped
  // the old ones), before it is handed out: the statements are queued ahead of any caller's.
  pool.pool.on('connection', (conn) => {
    for (const statement of sessionSetup)
      conn.query(statement, (error) => {
        // A session left in REPEATABLE READ would work but bring the gap locks back, one in the server's sql_mode
        // might read strings differently: drop it; the caller's first statement then fails as a lost connection
        // does, which every caller already treats as transient.
        if (error) conn.destroy();
      });
  });
  return pool;
}

/**
 * A string as SQL: utf8mb4 bytes in hex (`_utf8mb4 X'…'`), with the connection's collation so that it compares
 * as a quoted literal does. Only hex digits stand between the quotes, which every sql_mode reads the same way: the
 * client's backslash escaping of quotes is safe only while the session has no NO_BACKSLASH_ESCAPES, and a member's
 * post must not depend on that. Server-side prepared statements would also keep values out of the text, but take
 * one statement per round trip, which the scripts (db/scripts.ts) exist to avoid.
 */
function hexString(value: string): { toSqlString(): string } {
  const hex = Buffer.from(value, 'utf8').toString('hex');
  return mysql.raw(`_utf8mb4 X'${hex}' COLLATE utf8mb4_unicode_ci`);
}

/** `values` with every string, at any depth (lists, `VALUES ?` rows, `SET ?` objects), as hexString. */
function asHex(value: unknown): unknown {
  if (typeof value === 'string') return hexString(value);
  if (Array.isArray(value)) return value.map(asHex);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype)
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, asHex(item)]));
  return value;
}

/** mysql2's placeholder filling (numbers, dates, lists, NULL as it does them), strings as hexString. */
const format = mysql.format as (
  sql: string,
  values: unknown,
  stringifyObjects: boolean,
  timezone: string,
) => string;
function queryFormat(sql: string, values: unknown, timezone = 'Z'): string {
  if (values === undefined || values === null) return sql;
  const list = Array.isArray(values) ? values : [values];
  // Placeholders in the order mysql2 fills them: `?` takes a value, `??` an identifier (quoted with backticks by
  // mysql2, so it stays a string), and longer runs of `?` are left as they are.
  const kinds = (sql.match(/\?+/g) ?? []).filter((run) => run.length <= 2);
  const filled = list.map((value, i) => (kinds[i] === '??' ? value : asHex(value)));
  return format(sql, Array.isArray(values) ? filled : filled[0], false, timezone);
}

function openPool(config: Config, options: { connectionLimit: number; multipleStatements?: boolean }): Pool {
  const { db } = config;
  return mysql.createPool({
    ...(db.socketPath ? { socketPath: db.socketPath } : { host: db.host, port: db.port ?? 3306 }),
    user: db.user,
    password: db.password,
    database: db.database,
    ...options,
    queryFormat,
    waitForConnections: true,
    timezone: 'Z',
    dateStrings: true,
    charset: 'utf8mb4_unicode_ci',
    enableKeepAlive: true,
    connectTimeout: 5000,
  });
}

/** MySQL errors of a connection or server that went away (a restart, a network cut): worth trying again later. */
const connectionErrnos = new Set([1053, 1927, 2002, 2003, 2006, 2013, 2055]);
const connectionCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_SERVER_SHUTDOWN',
]);

/**
 * True for failures that say nothing about the statement: the database is restarting or unreachable, or a lock
 * could not be had (deadlock 1213, lock-wait timeout 1205). The same work can be tried again as it is.
 */
export function isTransient(error: unknown): boolean {
  const { errno, code, fatal } = (error ?? {}) as { errno?: number; code?: string; fatal?: boolean };
  if (errno === 1213 || errno === 1205) return true;
  if (errno !== undefined && connectionErrnos.has(errno)) return true;
  return (code !== undefined && connectionCodes.has(code)) || fatal === true;
}

/** Runs `fn` in a transaction, retrying deadlocks (1213) and lock-wait timeouts (1205) a few times. */
export async function inTransaction<T>(
  pool: Pool,
  fn: (conn: mysql.PoolConnection) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const conn = await pool.getConnection();
    try {
      await conn.beginTransaction();
      const result = await fn(conn);
      await conn.commit();
      return result;
    } catch (error) {
      await conn.rollback().catch(() => undefined);
      const errno = (error as { errno?: number }).errno;
      if ((errno === 1213 || errno === 1205) && attempt < 5) continue;
      throw error;
    } finally {
      conn.release();
    }
  }
}

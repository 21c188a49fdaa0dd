/**
 * Sidecar processes sharing one database, and a producer writing the plugin's inbox table the way WordPress does
 * (one row per action call), for fault-injection tests.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import mysql, { type Pool, type PoolConnection, type RowDataPacket } from 'mysql2/promise';
import { inject } from 'vitest';
import type { DbCredentials } from '../../scripts/stack/mariadb.ts';
import { startSidecar, type Sidecar } from '../../scripts/stack/sidecar.ts';
import { waitFor } from '../../scripts/stack/wait.ts';

export interface FleetOptions {
  label: string;
  creds: DbCredentials;
  /** Receiver ports the sidecars may deliver to (127.0.0.1 only). */
  allowPorts: number[];
  /** Sidecar environment: FCWH_LEASE_SECONDS, FCWH_RETRY_SCHEDULE, ... */
  env?: Record<string, string>;
}

export interface Fleet {
  /** A pool on the fleet's database, as the test's own client. */
  readonly db: Pool;
  readonly sidecars: Sidecar[];
  readonly dir: string;
  /** Starts one more sidecar process. */
  add(env?: Record<string, string>): Promise<Sidecar>;
  /** Calls a sidecar's management API (the first live one by default) and parses the JSON answer. */
  api<T = any>(
    method: string,
    route: string,
    body?: unknown,
    via?: Sidecar,
  ): Promise<{ status: number; body: T }>;
  /** Creates a webhook for `url` subscribed to space.deleted; resolves with its id. */
  createWebhook(url: string, extra?: Record<string, unknown>): Promise<number>;
  /** Writes `count` action calls into the inbox, `perSecond` at a time, numbered from `from`. */
  produce(count: number, options?: { perSecond?: number; from?: number }): Producer;
  /** Tells every live sidecar to drain the inbox now (best effort, as the plugin's shutdown ping). */
  wake(): void;
  /** Delivery rows by status. */
  statuses(): Promise<Record<string, number>>;
  /** Resolves once no delivery is pending or in flight and the inbox is empty. */
  settled(timeoutMs?: number): Promise<Record<string, number>>;
  /** Process owner prefix (`<pid>-`) → how many delivered rows it claimed last. */
  claimsByProcess(): Promise<Map<number, number>>;
  stop(): Promise<void>;
}

export interface Producer {
  /** Rows committed so far. */
  readonly produced: number;
  /** Resolves with the number produced once all are written. */
  readonly done: Promise<number>;
}

/** The hook call of one produced event: `space.deleted` with `data.id = seq`. */
export const producedHook = 'fluent_community/space/deleted';

export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const { creds } = options;
  const dir = path.join(
    inject('stack').runDir,
    'faults',
    `${options.label}-${randomBytes(3).toString('hex')}`,
  );
  fs.mkdirSync(dir, { recursive: true });
  const secret = randomBytes(36).toString('base64url');
  const db = mysql.createPool({
    host: creds.host,
    port: creds.port,
    user: creds.user,
    password: creds.password,
    database: creds.name,
    connectionLimit: 4,
    dateStrings: true,
    timezone: 'Z',
  });
  const sidecars: Sidecar[] = [];
  const live = () => sidecars.filter((s) => !s.process.exitInfo());

  const fleet: Fleet = {
    db,
    sidecars,
    dir,
    async add(env = {}) {
      const sidecar = await startSidecar({
        secret,
        db: { ...creds, table_prefix: 'wp_' },
        allowTargets: options.allowPorts.map((port) => `127.0.0.1:${port}`),
        caFile: inject('stack').tls.caFile,
        logFile: path.join(dir, `sidecar-${sidecars.length + 1}.log`),
        env: { FCWH_LOG_LEVEL: 'info', ...options.env, ...env },
      });
      sidecars.push(sidecar);
      return sidecar;
    },
    async api(method, route, body, via) {
      const sidecar = via ?? live()[0];
      if (!sidecar) throw new Error('no sidecar is running');
      const res = await fetch(`${sidecar.url}${route}`, {
        method,
        headers: { authorization: sidecar.authorization, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
    async createWebhook(url, extra = {}) {
      const res = await fleet.api('POST', '/admin/webhooks', {
        name: url,
        url,
        events: ['space.deleted'],
        ...extra,
      });
      if (res.status !== 201) throw new Error(`creating a webhook failed: ${JSON.stringify(res.body)}`);
      return (res.body as { id: number }).id;
    },
    produce(count, { perSecond = 100, from = 1 } = {}) {
      let produced = 0;
      const batch = Math.max(1, Math.round(perSecond / 20));
      const done = (async () => {
        const started = Date.now();
        // A marker row per call, committed with the inbox rows: after an error whose commit is unknown (the
        // database died while answering), only the calls that did not make it are written again.
        await db.query('CREATE TABLE IF NOT EXISTS faults_produced (seq INT UNSIGNED PRIMARY KEY)');
        while (produced < count) {
          const seqs = Array.from(
            { length: Math.min(batch, count - produced) },
            (_, i) => from + produced + i,
          );
          try {
            await writeCalls(seqs);
          } catch {
            // The database is down (a fault under test): WordPress could not write either; try again shortly.
            await sleep(100);
            const written = await committed(seqs).catch(() => [] as number[]);
            if (written.length < seqs.length) continue;
          }
          produced += seqs.length;
          fleet.wake();
          const due = started + (produced / perSecond) * 1000;
          if (due > Date.now()) await sleep(due - Date.now());
        }
        return produced;
      })();

      async function writeCalls(seqs: number[]): Promise<void> {
        const conn = await db.getConnection();
        try {
          await conn.beginTransaction();
          const missing = new Set(seqs);
          for (const seq of await committed(seqs, conn)) missing.delete(seq);
          const rows = [...missing].map((seq) => [producedHook, JSON.stringify([seq]), 0, `faults-${seq}`]);
          if (rows.length) {
            await conn.query('INSERT INTO faults_produced (seq) VALUES ?', [[...missing].map((s) => [s])]);
            await conn.query(
              'INSERT INTO wp_fcwh_inbox (hook, args, actor_id, request_id, occurred_at) VALUES ' +
                rows.map(() => '(?, ?, ?, ?, UTC_TIMESTAMP(6))').join(', '),
              rows.flat(),
            );
          }
          await conn.commit();
        } finally {
          conn.release();
        }
      }

      async function committed(seqs: number[], via: Pool | PoolConnection = db): Promise<number[]> {
        const [rows] = await via.query<RowDataPacket[]>('SELECT seq FROM faults_produced WHERE seq IN (?)', [
          seqs,
        ]);
        return rows.map((r) => Number(r.seq));
      }

      return {
        get produced() {
          return produced;
        },
        done,
      };
    },
    wake() {
      for (const s of live()) {
        void fetch(`${s.url}/events/wake`, {
          method: 'POST',
          headers: { authorization: s.authorization },
          signal: AbortSignal.timeout(1000),
        })
          .then((r) => r.arrayBuffer())
          .catch(() => undefined);
      }
    },
    async statuses() {
      const [rows] = await db.query<RowDataPacket[]>(
        'SELECT status, COUNT(*) AS n FROM wp_fcwh_deliveries GROUP BY status',
      );
      return Object.fromEntries(rows.map((r) => [String(r.status), Number(r.n)]));
    },
    async settled(timeoutMs = 60_000) {
      return waitFor(
        'every delivery settled',
        async () => {
          const [inbox] = await db.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM wp_fcwh_inbox');
          const statuses = await fleet.statuses();
          const open = (statuses.pending ?? 0) + (statuses.in_flight ?? 0) + Number(inbox[0]?.n ?? 0);
          return open === 0 ? statuses : undefined;
        },
        { timeoutMs, intervalMs: 200 },
      );
    },
    async claimsByProcess() {
      const [rows] = await db.query<RowDataPacket[]>(
        `SELECT SUBSTRING_INDEX(claimed_by, '-', 1) AS pid, COUNT(*) AS n FROM wp_fcwh_deliveries
         WHERE status = 'delivered' GROUP BY pid`,
      );
      return new Map(rows.map((r) => [Number(r.pid), Number(r.n)]));
    },
    async stop() {
      await Promise.all(sidecars.map((s) => s.stop('SIGKILL').catch(() => undefined)));
      await db.end();
    },
  };
  return fleet;
}

/** The message ids (`webhook-id`) of deliveries, by delivery id. */
export async function messageIds(db: Pool, deliveryIds: number[]): Promise<Map<number, string>> {
  if (deliveryIds.length === 0) return new Map();
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT d.id, e.uid FROM wp_fcwh_deliveries d JOIN wp_fcwh_events e ON e.id = d.event_id WHERE d.id IN (?)`,
    [deliveryIds],
  );
  return new Map(rows.map((r) => [Number(r.id), String(r.uid)]));
}

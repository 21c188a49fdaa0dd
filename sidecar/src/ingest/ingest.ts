/** Stores action calls as events and fans them out, from HTTP (`POST /events`) or from the plugin's inbox table. */
import type { HookCall } from '../../../shared/schemas.ts';
import {
  claimInbox,
  deleteInbox,
  insertDeliveriesFor,
  insertEvents,
  type InboxRow,
  type NewEvent,
} from '../db/events.ts';
import { inTransaction, type Conn } from '../db/pool.ts';
import type { Deps } from '../deps.ts';
import { createIngestQueue, type IngestQueue } from './batch.ts';
import { buildEvents, createLookups, InvalidEventPayloadError } from './build.ts';

export interface IngestResult {
  events: number;
  rejected: number;
}

/**
 * Builds, stores and fans out calls in the caller's transaction. Returns, per call, how many events it made, or
 * null when its arguments fit no event (logged and skipped); and how many deliveries the fan-out created.
 */
async function store(
  deps: Deps,
  conn: Conn,
  calls: HookCall[],
): Promise<{ perCall: (number | null)[]; deliveries: number }> {
  const lookups = createLookups(conn, deps.tables);
  const events: NewEvent[] = [];
  const perCall: (number | null)[] = [];
  for (const call of calls) {
    try {
      const built = await buildEvents(call, lookups);
      events.push(...built);
      perCall.push(built.length);
    } catch (error) {
      if (!(error instanceof InvalidEventPayloadError)) throw error;
      perCall.push(null);
      deps.log.warn(
        { hook: call.hook, reason: error.message },
        'action call rejected: arguments fit no event',
      );
    }
  }
  const ids = await insertEvents(conn, deps.tables, events);
  deps.metrics.countIngested(ids.length);
  const deliveries = await insertDeliveriesFor(conn, deps.tables, ids);
  return { perCall, deliveries };
}

const queues = new WeakMap<Deps, IngestQueue<HookCall>>();

/** The process's ingest queue: concurrent requests share transactions (see batch.ts). */
function queueFor(deps: Deps): IngestQueue<HookCall> {
  let queue = queues.get(deps);
  if (!queue) {
    queue = createIngestQueue(
      async (calls) => {
        const stored = await inTransaction(deps.db, (conn) => store(deps, conn, calls));
        if (stored.deliveries > 0) deps.wake();
        return stored.perCall;
      },
      { parallel: Math.max(1, Math.floor(deps.config.dbPoolSize / 4)), maxCalls: 1000 },
    );
    queues.set(deps, queue);
  }
  return queue;
}

/** Ingests calls given over HTTP, durably (committed) before it resolves. */
export async function ingestCalls(deps: Deps, calls: HookCall[]): Promise<IngestResult> {
  const perCall = await queueFor(deps).submit(calls);
  return {
    events: perCall.reduce<number>((n, made) => n + (made ?? 0), 0),
    rejected: perCall.filter((made) => made === null).length,
  };
}

function toCall(row: InboxRow): HookCall | null {
  try {
    const args = JSON.parse(row.args) as unknown;
    if (!Array.isArray(args)) return null;
    return {
      hook: row.hook,
      args,
      actor_id: Number(row.actor_id),
      occurred_at: row.occurred_at,
      request_id: row.request_id,
    };
  } catch {
    return null;
  }
}

/** Inbox rows moved per transaction. */
export const inboxBatch = 500;

/**
 * Moves one batch from the inbox to events and deliveries, atomically, then runs `then` in the same transaction
 * (the worker claims there: a new event then costs one commit on its way out, not two). Returns the number of
 * inbox rows taken and what `then` returned. `then` is not called when the inbox is empty, nor when the batch
 * made no delivery: there is nothing new to claim, and the worker's own claim round finds anything else due.
 */
export async function drainInboxOnce<T>(
  deps: Deps,
  then?: (conn: Conn) => Promise<T>,
  batch = inboxBatch,
): Promise<{ rows: number; then?: T }> {
  return inTransaction(deps.db, async (conn) => {
    const rows = await claimInbox(conn, deps.tables, batch);
    if (rows.length === 0) return { rows: 0 };
    const calls = rows.map(toCall);
    const unreadable = rows.filter((_, i) => calls[i] === null);
    for (const row of unreadable)
      deps.log.warn({ inboxId: row.id, hook: row.hook }, 'inbox row dropped: arguments are not a JSON list');
    const { deliveries } = await store(
      deps,
      conn,
      calls.filter((c): c is HookCall => c !== null),
    );
    await deleteInbox(
      conn,
      deps.tables,
      rows.map((r) => r.id),
    );
    return { rows: rows.length, ...(then && deliveries > 0 ? { then: await then(conn) } : {}) };
  });
}

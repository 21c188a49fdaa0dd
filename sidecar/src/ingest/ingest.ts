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
import { buildEvents, InvalidEventPayloadError } from './build.ts';

export interface IngestResult {
  events: number;
  deliveries: number;
  rejected: number;
}

/** Builds, stores and fans out calls in the caller's transaction. Calls whose arguments fit no event are counted. */
async function store(deps: Deps, conn: Conn, calls: HookCall[]): Promise<IngestResult> {
  const events: NewEvent[] = [];
  let rejected = 0;
  for (const call of calls) {
    try {
      events.push(...(await buildEvents(conn, deps.tables, call)));
    } catch (error) {
      if (!(error instanceof InvalidEventPayloadError)) throw error;
      rejected++;
      deps.log.warn(
        { hook: call.hook, reason: error.message },
        'action call rejected: arguments fit no event',
      );
    }
  }
  const ids = await insertEvents(conn, deps.tables, events);
  deps.metrics.countIngested(ids.length);
  const deliveries = await insertDeliveriesFor(conn, deps.tables, ids);
  return { events: ids.length, deliveries, rejected };
}

/** Ingests calls given over HTTP, durably, before answering. */
export async function ingestCalls(deps: Deps, calls: HookCall[]): Promise<IngestResult> {
  const result = await inTransaction(deps.db, (conn) => store(deps, conn, calls));
  if (result.deliveries > 0) deps.wake();
  return result;
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

/** Moves one batch from the inbox to events and deliveries, atomically. Returns the number of inbox rows taken. */
export async function drainInboxOnce(deps: Deps, batch = 500): Promise<number> {
  const taken = await inTransaction(deps.db, async (conn) => {
    const rows = await claimInbox(conn, deps.tables, batch);
    const calls = rows.map(toCall);
    const unreadable = rows.filter((_, i) => calls[i] === null);
    for (const row of unreadable)
      deps.log.warn({ inboxId: row.id, hook: row.hook }, 'inbox row dropped: arguments are not a JSON list');
    const result = await store(
      deps,
      conn,
      calls.filter((c): c is HookCall => c !== null),
    );
    await deleteInbox(
      conn,
      deps.tables,
      rows.map((r) => r.id),
    );
    return { rows: rows.length, deliveries: result.deliveries };
  });
  if (taken.deliveries > 0) deps.wake();
  return taken.rows;
}

/** Stores action calls as events and fans them out, from HTTP (`POST /events`) or from the plugin's inbox table. */
import type { HookCall } from '../../../shared/schemas.ts';
import type { ResultSetHeader } from 'mysql2';
import { claimAndCommit, type Claim, type ClaimRequest } from '../delivery/claim/claim.ts';
import {
  eventsInsert,
  fanOutInserted,
  inboxDelete,
  inboxSelect,
  type InboxRow,
  type NewEvent,
} from '../db/events.ts';
import type { Conn } from '../db/pool.ts';
import { inScriptTransaction, type Statement } from '../db/scripts.ts';
import type { Deps } from '../deps.ts';
import { createIngestQueue, type IngestQueue } from './batch.ts';
import { buildEvents, createLookups, InvalidEventPayloadError } from './build.ts';

export interface IngestResult {
  events: number;
  rejected: number;
}

/**
 * Builds the events of `calls`. Returns them in call order and, per call, how many events it made, or null when
 * its arguments fit no event (logged and skipped). Calls are built side by side, so the reads of their distinct
 * actors go to the database back to back instead of one event-loop turn apart.
 */
async function build(
  deps: Deps,
  conn: Conn,
  calls: HookCall[],
): Promise<{ events: NewEvent[]; perCall: (number | null)[] }> {
  const lookups = createLookups(conn, deps.tables);
  const built = await Promise.all(
    calls.map((call) =>
      buildEvents(call, lookups).catch((error: unknown) => {
        if (!(error instanceof InvalidEventPayloadError)) throw error;
        deps.log.warn(
          { hook: call.hook, reason: error.message },
          'action call rejected: arguments fit no event',
        );
        return null;
      }),
    ),
  );
  return { events: built.flatMap((b) => b ?? []), perCall: built.map((b) => b?.length ?? null) };
}

/** The statements that store `events` and fan them out; the second one's affectedRows is the deliveries made. */
function storeStatements(deps: Deps, events: NewEvent[]): Statement[] {
  if (events.length === 0) return [];
  return [eventsInsert(deps.tables, events), fanOutInserted(deps.tables, events.length)];
}

/** Deliveries made by the fan-out among `results` of storeStatements (0 when there was none). */
const deliveriesMade = (results: unknown[], statements: Statement[]) =>
  statements.length ? (results[1] as ResultSetHeader).affectedRows : 0;

/**
 * Builds, stores and fans out calls in a transaction of its own: the reads first (outside it: READ COMMITTED shows
 * them the same rows), then BEGIN, the INSERTs and COMMIT in one round trip.
 */
async function store(
  deps: Deps,
  calls: HookCall[],
): Promise<{ perCall: (number | null)[]; deliveries: number }> {
  return inScriptTransaction(deps.scriptDb, async (tx) => {
    const { events, perCall } = await build(deps, tx.conn, calls);
    const statements = storeStatements(deps, events);
    const results = await tx.commitWith(statements);
    deps.metrics.countIngested(events.length);
    return { perCall, deliveries: deliveriesMade(results, statements) };
  });
}

const queues = new WeakMap<Deps, IngestQueue<HookCall>>();

/** The process's ingest queue: concurrent requests share transactions (see batch.ts). */
function queueFor(deps: Deps): IngestQueue<HookCall> {
  let queue = queues.get(deps);
  if (!queue) {
    queue = createIngestQueue(
      async (calls) => {
        const stored = await store(deps, calls);
        if (stored.deliveries > 0) deps.wake();
        return stored.perCall;
      },
      // One transaction at a time: requests arriving while it is written share the next, so batches grow with the
      // load. More at once split them (P4, 32 in flight: 0.10 commits and 0.50 statements per event with one,
      // 0.15-0.17 and 0.77-0.87 with two; a second one opened only once 8 or 16 calls waited: 0.13, 0.11).
      { parallel: 1, maxCalls: 1000 },
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

function toCall(row: InboxRow & { args: string }): HookCall | null {
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

/** Inbox rows moved per transaction, at most. */
export const inboxBatch = 500;
/** Bytes of arguments read per transaction, at most (one row past it is read alone): see inboxSelect. */
export const inboxBatchBytes = 4 * 1024 * 1024;

/**
 * Moves one batch from the inbox to events and deliveries, atomically, and claims due deliveries for `claim()`'s
 * request in the same transaction (a new event costs one commit on its way out, not two), in four round trips:
 * BEGIN with the read of the inbox, the actors' reads, the writes with the read of due rows, the claim with COMMIT.
 * Returns the number of inbox rows taken, whether more may be waiting (a full batch, or rows left past the byte
 * budget), and the claim. No claim is made when the inbox is empty (the worker's own claim round finds what is due)
 * or when `claim` gives null (no free slot).
 */
export async function drainInboxOnce(
  deps: Deps,
  claim: () => ClaimRequest | null = () => null,
  batch = inboxBatch,
  maxBytes = inboxBatchBytes,
): Promise<{ rows: number; more: boolean; claim?: Claim }> {
  const t = deps.tables;
  return inScriptTransaction(deps.scriptDb, async (tx) => {
    const [selected] = (await tx.run([inboxSelect(t, batch, maxBytes)])) as [InboxRow[]];
    const rows = selected.filter((r): r is InboxRow & { args: string } => r.args !== null);
    const more = selected.length === batch || rows.length < selected.length;
    if (rows.length === 0) return { rows: 0, more };
    const calls = rows.map(toCall);
    const unreadable = rows.filter((_, i) => calls[i] === null);
    for (const row of unreadable)
      deps.log.warn({ inboxId: row.id, hook: row.hook }, 'inbox row dropped: arguments are not a JSON list');
    const { events } = await build(
      deps,
      tx.conn,
      calls.filter((c): c is HookCall => c !== null),
    );
    const writes = [
      ...storeStatements(deps, events),
      inboxDelete(
        t,
        rows.map((r) => r.id),
      ),
    ];
    const claimed = await claimAndCommit(tx, t, claim(), writes);
    deps.metrics.countIngested(events.length);
    return { rows: rows.length, more, ...(claimed.claim ? { claim: claimed.claim } : {}) };
  });
}

/**
 * The ingest API, `POST /events`: action calls from other plugins and services, stored as events and fanned out,
 * committed before the answer. Requests arriving while a transaction is written share the next (batch.ts).
 */
import type { HookCall } from '../../../shared/schemas.ts';
import { inScriptTransaction } from '../db/scripts.ts';
import { deliveriesMade, storeAndFanOut } from '../delivery/fan-out.ts';
import type { Deps } from '../deps.ts';
import { createIngestQueue, type IngestQueue } from './batch.ts';
import { buildCalls } from './build.ts';

export interface IngestResult {
  events: number;
  rejected: number;
}

/**
 * Builds, stores and fans out calls in a transaction of its own: the reads first (outside it: READ COMMITTED shows
 * them the same rows), then BEGIN, the INSERTs and COMMIT in one round trip.
 */
async function store(
  deps: Deps,
  calls: HookCall[],
): Promise<{ perCall: (number | null)[]; deliveries: number }> {
  return inScriptTransaction(deps.scriptDb, async (tx) => {
    const { events, perCall } = await buildCalls(deps, tx.conn, calls);
    const statements = storeAndFanOut(deps.tables, events);
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
      // load; a second one at once splits them into smaller batches (more commits and statements per event).
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

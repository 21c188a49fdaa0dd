/**
 * The drain stage's ingest half: the plugin's inbox rows, read and locked, turned into events. What is done with
 * them (stored, fanned out, deliveries claimed in the same transaction) is composed by delivery/pipeline.ts.
 */
import { inboxSelect, type InboxRow, type NewEvent } from '../db/events.ts';
import type { ScriptTransaction } from '../db/scripts.ts';
import type { Deps } from '../deps.ts';
import { createLookups } from './build.ts';
import { buildRow, isNotTheRows } from './quarantine.ts';

/** Inbox rows moved per transaction, at most. */
export const inboxBatch = 500;
/** Bytes of arguments read per transaction, at most (one row past it is read alone): see inboxSelect. */
export const inboxBatchBytes = 4 * 1024 * 1024;

export interface InboxBatch {
  /** Every inbox row taken, stored or set aside (a failed batch is drained again row by row: drainRowsAlone). */
  ids: number[];
  /** The rows stored as events (to delete in the same transaction). */
  stored: number[];
  /** The rows that cannot be turned into events, with why (to move to the quarantine in the same transaction). */
  setAside: { id: number; error: string }[];
  /** Whether more may be waiting: a full batch, or rows left past the byte budget. */
  more: boolean;
  /** The events the rows make, payloads built. */
  events: NewEvent[];
}

/** A build that failed on something other than the server (a row nothing expected): its batch's rows go one by one. */
export class BatchBuildError extends Error {
  constructor(
    readonly ids: number[],
    override readonly cause: unknown,
  ) {
    super(`building the batch's events failed: ${(cause as Error)?.message ?? String(cause)}`);
  }
}

/**
 * Reads the oldest inbox rows in `tx` (locked until it commits) and builds their events, in two round trips: the
 * read of the inbox (with BEGIN), then the actors' reads. A row that cannot be turned into events (its arguments
 * are not a JSON list, are too large or fit no event) is set aside with why, so one bad row never stops the queue
 * and none leaves the inbox unseen. Other errors of the build (a bug, a row nothing expected) fail the batch: the
 * drain then takes its rows one by one.
 */
export async function readInbox(
  tx: ScriptTransaction,
  deps: Deps,
  batch = inboxBatch,
  maxBytes = inboxBatchBytes,
): Promise<InboxBatch> {
  const [selected] = (await tx.run([inboxSelect(deps.tables, batch, maxBytes)])) as [InboxRow[]];
  const rows = selected.filter((r): r is InboxRow & { args: string } => r.args !== null);
  const more = selected.length === batch || rows.length < selected.length;
  const lookups = createLookups(tx.conn, deps.tables);
  const ids = rows.map((r) => r.id);
  const failed = (error: unknown) => {
    throw isNotTheRows(error) ? error : new BatchBuildError(ids, error);
  };
  // Built side by side, so the reads of distinct actors go to the database back to back.
  const built = await Promise.all(rows.map((row) => buildRow(row, lookups).catch(failed)));
  const setAside = rows.flatMap((row, i) => {
    const b = built[i]!;
    return Array.isArray(b) ? [] : [{ id: row.id, error: b.error }];
  });
  for (const { id, error } of setAside)
    deps.log.error({ inboxId: id, reason: error }, 'inbox row set aside in the quarantine');
  return {
    ids,
    stored: rows.filter((_, i) => Array.isArray(built[i])).map((r) => r.id),
    setAside,
    more,
    events: built.flatMap((b) => (Array.isArray(b) ? b : [])),
  };
}

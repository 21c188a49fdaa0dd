/**
 * The drain stage's ingest half: the plugin's inbox rows, read and locked, turned into events. What is done with
 * them (stored, fanned out, deliveries claimed in the same transaction) is composed by delivery/pipeline.ts.
 */
import type { HookCall } from '../../../shared/schemas.ts';
import { inboxSelect, type InboxRow, type NewEvent } from '../db/events.ts';
import type { ScriptTransaction } from '../db/scripts.ts';
import type { Deps } from '../deps.ts';
import { buildCalls } from './build.ts';

/** Inbox rows moved per transaction, at most. */
export const inboxBatch = 500;
/** Bytes of arguments read per transaction, at most (one row past it is read alone): see inboxSelect. */
export const inboxBatchBytes = 4 * 1024 * 1024;

export interface InboxBatch {
  /** The inbox rows taken (their ids, to delete in the same transaction). */
  ids: number[];
  /** Whether more may be waiting: a full batch, or rows left past the byte budget. */
  more: boolean;
  /** The events the rows make, payloads built. */
  events: NewEvent[];
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

/**
 * Reads the oldest inbox rows in `tx` (locked until it commits) and builds their events, in two round trips: the
 * read of the inbox (with BEGIN), then the actors' reads. A row whose arguments are not a JSON list is logged and
 * taken (deleted with the batch), so one bad row never stops the queue.
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
  if (rows.length === 0) return { ids: [], more, events: [] };
  const calls = rows.map(toCall);
  const unreadable = rows.filter((_, i) => calls[i] === null);
  for (const row of unreadable)
    deps.log.warn({ inboxId: row.id, hook: row.hook }, 'inbox row dropped: arguments are not a JSON list');
  const { events } = await buildCalls(
    deps,
    tx.conn,
    calls.filter((c): c is HookCall => c !== null),
  );
  return { ids: rows.map((r) => r.id), more, events };
}

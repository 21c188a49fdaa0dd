/**
 * The quarantine's side of the inbox drain: an inbox row that cannot be turned into events is set aside with its
 * reason (db/quarantine.ts) instead of stopping every row behind it, and nothing leaves the inbox unseen.
 */
import { inboxLimits } from '../../../shared/limits.ts';
import type { HookCall } from '../../../shared/schemas.ts';
import { inboxDelete, type InboxRow, type NewEvent } from '../db/events.ts';
import { isTransient, type Tables } from '../db/pool.ts';
import { inboxRowById, quarantineRows } from '../db/quarantine.ts';
import { inScriptTransaction, type Statement } from '../db/scripts.ts';
import type { Deps } from '../deps.ts';
import { buildEvents, createLookups, InvalidEventPayloadError, type Lookups } from './build.ts';

/** A row read as an action call, or why it cannot be. */
export type ReadRow = { call: HookCall } | { error: string };

/** Reads an inbox row's arguments (a JSON list within inboxLimits.maxArgsBytes) as the call it records. */
export function readRow(row: InboxRow & { args: string }): ReadRow {
  const bytes = Buffer.byteLength(row.args, 'utf8');
  if (bytes > inboxLimits.maxArgsBytes)
    return {
      error: `arguments are ${bytes} bytes of JSON, more than the ${inboxLimits.maxArgsBytes} allowed`,
    };
  let args: unknown;
  try {
    args = JSON.parse(row.args);
  } catch (error) {
    return { error: `arguments are not JSON: ${(error as Error).message}` };
  }
  if (!Array.isArray(args)) return { error: 'arguments are not a JSON list' };
  return {
    call: {
      hook: row.hook,
      args,
      actor_id: Number(row.actor_id),
      occurred_at: row.occurred_at,
      request_id: row.request_id,
    },
  };
}

/**
 * The events of one inbox row, or why it cannot make any: arguments unreadable (readRow) or fitting no event.
 * Other errors of the build are thrown.
 */
export async function buildRow(
  row: InboxRow & { args: string },
  lookups: Lookups,
): Promise<NewEvent[] | { error: string }> {
  const read = readRow(row);
  if ('error' in read) return read;
  try {
    return await buildEvents(read.call, lookups);
  } catch (error) {
    if (!(error instanceof InvalidEventPayloadError)) throw error;
    return { error: `arguments fit no event: ${error.message}` };
  }
}

/** An error as the quarantine keeps it: the server's code (e.g. `ER_SIGNAL_EXCEPTION`) and message. */
export function reasonOf(error: unknown): string {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : String(error);
  return typeof code === 'string' && !text.startsWith(code) ? `${code}: ${text}` : text;
}

/**
 * Server errors that are never one row's doing: no such table (1146), permission denied (1142, 1143), table or
 * disk full (1114, 1021), a read-only table or server (1036, 1290), a storage engine failure (1030). Setting rows
 * aside for them would empty the inbox into the quarantine; they are thrown, and the loop tries again later.
 */
const environmentErrnos = new Set([1021, 1030, 1036, 1114, 1142, 1143, 1146, 1290]);

/** True when a failure says something about the server, not the rows (see isTransient and environmentErrnos). */
export function isNotTheRows(error: unknown): boolean {
  const errno = (error as { errno?: unknown } | null)?.errno;
  return isTransient(error) || (typeof errno === 'number' && environmentErrnos.has(errno));
}

/** True for an error the database server answered (it has a MySQL error number), not one of our code. */
export function isServerError(error: unknown): boolean {
  return typeof (error as { errno?: unknown } | null)?.errno === 'number';
}

/** Statements that set rows aside, one pair per distinct reason. */
export function quarantineStatements(t: Tables, bad: { id: number; error: string }[]): Statement[] {
  const byReason = new Map<string, number[]>();
  for (const { id, error } of bad) byReason.set(error, [...(byReason.get(error) ?? []), id]);
  return [...byReason].flatMap(([error, ids]) => quarantineRows(t, ids, error));
}

/** The statements that store events and fan them out (the drain's own: see delivery/fan-out.ts). */
export type StoreStatements = (t: Tables, events: NewEvent[]) => Statement[];

/**
 * After a batch of the drain failed on something other than a lost connection or a lock (a statement the server
 * refused, a row the build could not handle), drains its rows one at a time, each in a transaction of its own, and
 * sets aside every row that fails alone, with its error. A batch is one statement per table, so the failing row
 * cannot be told from its error; each row alone can (a 500-row batch costs 500 short transactions, once). Rows
 * another sidecar holds or has taken meanwhile are passed over. Errors that are not the rows' (isNotTheRows) are
 * thrown: the worker's loop tries again later. Returns how many rows were stored and how many set aside.
 */
export async function drainRowsAlone(
  deps: Deps,
  ids: number[],
  store: StoreStatements,
): Promise<{ stored: number; quarantined: number }> {
  const t = deps.tables;
  let stored = 0;
  let quarantined = 0;
  for (const id of ids) {
    try {
      stored += await inScriptTransaction(deps.scriptDb, async (tx) => {
        const [rows] = (await tx.run([inboxRowById(t, id)])) as [(InboxRow & { args: string })[]];
        const row = rows[0];
        if (!row) return 0;
        const events = await buildRow(row, createLookups(tx.conn, t));
        if (!Array.isArray(events)) throw new Error(events.error);
        await tx.commitWith([...(events.length ? store(t, events) : []), inboxDelete(t, [id])]);
        deps.metrics.countIngested(events.length);
        return 1;
      });
    } catch (error) {
      if (isNotTheRows(error)) throw error;
      const reason = reasonOf(error);
      await inScriptTransaction(deps.scriptDb, (tx) => tx.commitWith(quarantineRows(t, [id], reason)));
      deps.log.error({ inboxId: id, reason }, 'inbox row set aside in the quarantine');
      quarantined++;
    }
  }
  if (quarantined) deps.metrics.countQuarantined(quarantined);
  if (stored) deps.wake();
  return { stored, quarantined };
}

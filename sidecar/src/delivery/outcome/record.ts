/**
 * The record stage (reschedule | give up): attempt results written in batches. Whatever finished while the
 * previous batch was being written goes into the next one, in one transaction (one commit for many deliveries,
 * instead of three per delivery), sent as one script (one round trip with its BEGIN and COMMIT when every attempt
 * delivered). After the commit it counts the batch in the metrics and tells WordPress of a webhook it disabled.
 */
import { toDbTime } from '../../../../shared/datetime.ts';
import { isTransient } from '../../db/pool.ts';
import { inScriptTransaction, type Statement } from '../../db/scripts.ts';
import type { Deps } from '../../deps.ts';
import type { ClaimedDelivery } from '../claim/claimed.ts';
import type { Outcome } from './classify.ts';
import { appendDisableChecks, disabledBy } from './disable.ts';
import * as sql from './sql.ts';

/** Resolves in the event loop's check phase, after the callbacks of the I/O that was ready. */
const afterIo = () => new Promise<void>((resolve) => setImmediate(resolve));

/** One attempt, as the record stage takes it. */
export interface AttemptResult {
  delivery: ClaimedDelivery;
  outcome: Outcome;
  startedAt: Date;
  ms: number;
  excerpt: string;
  requestHeaders: string;
  /** What this attempt rendered in a destination format, kept so that a retry sends the same bytes. */
  rendered?: { body: string; contentType: string; format: string };
}

export interface Recorder {
  /** Resolves once the result is committed (counted in the metrics, a webhook it disabled notified). */
  record(result: AttemptResult): Promise<void>;
  /** Resolves when everything handed in so far is written. */
  drain(): Promise<void>;
}

export interface RecorderOptions {
  /** A webhook failing this long without a success is disabled, in seconds. */
  disableAfterSeconds: number;
  /**
   * How long a batch is retried while the database is unreachable, in milliseconds. The worker renews the leases
   * of unrecorded attempts meanwhile, so they are not sent again; past this the batch is dropped and its
   * deliveries are sent again once their leases run out.
   */
  retryForMs?: number;
}

/** What recording uses of the sidecar: the script pool, the tables, the log, the metrics and WordPress's notice. */
export type RecorderDeps = Pick<Deps, 'scriptDb' | 'tables' | 'log' | 'metrics' | 'notifyDisabled'>;

interface Queued {
  result: AttemptResult;
  done: () => void;
  fail: (e: unknown) => void;
}

export function createRecorder(deps: RecorderDeps, owner: string, options: RecorderOptions): Recorder {
  const { scriptDb: db, tables: t, log } = deps;
  let queue: Queued[] = [];
  let flushing: Promise<void> | null = null;
  /** When each webhook's success was last written (ms); failures written since remove the entry. */
  const touched = new Map<number, number>();

  /**
   * Webhooks whose success needs writing: a webhook delivering hundreds a second needs `last_triggered_at` (a
   * whole-second value) written once a second, not once per batch, where it would also lock the hot webhook row
   * against every fan-out that reads it. A failure written since forces the write (it clears `failing_since`).
   */
  function successesToWrite(webhookIds: number[], now: number): number[] {
    return [...new Set(webhookIds)].filter((id) => now - (touched.get(id) ?? 0) >= 1000);
  }

  /**
   * The batch's writes, in order: attempt rows, deliveries delivered, the webhooks' success, each failure's delivery
   * and its webhook's error, then one disable check per failing webhook, after its last error (a 410 disables at
   * once; else failing for too long), so the reason it writes is what last_error keeps. `checks` are the disable
   * statements' indexes in `statements`, with what each disables.
   */
  function statementsOf(batch: AttemptResult[], touch: number[]) {
    const delivered = batch.filter((r) => r.outcome.kind === 'delivered');
    /** Each webhook's status of its latest delivered attempt in the batch. */
    const lastStatus = new Map(
      delivered.map((r) => [Number(r.delivery.webhook_id), (r.outcome as { status: number }).status]),
    );
    const statements = [
      sql.insertAttempts(t, batch.map(toAttemptRecord)),
      sql.markDelivered(
        t,
        owner,
        delivered.map((r) => Number(r.delivery.id)),
        delivered.map((r) => (r.outcome as { status: number }).status),
      ),
      sql.touchWebhookSuccess(
        t,
        touch,
        touch.map((id) => lastStatus.get(id)!),
      ),
    ].filter((x): x is Statement => x !== null);
    /** Failing active webhooks, in order of first failure: the 410's error when one answered Gone. */
    const failing = new Map<number, string | null>();
    for (const r of batch) {
      const o = r.outcome;
      if (o.kind === 'delivered') continue;
      const id = Number(r.delivery.id);
      statements.push(
        sql.markFailed(t, owner, id, o.status, o.error, o.kind === 'retry' ? o.delaySeconds : null),
      );
      if (o.kind === 'retry' && r.rendered) statements.push(sql.storeRendered(t, owner, id, r.rendered));
      if (r.delivery.webhook_status !== 'active') continue;
      const webhookId = Number(r.delivery.webhook_id);
      statements.push(sql.touchWebhookFailure(t, webhookId, o.error, o.status ?? null));
      const gone = o.kind === 'give_up' && o.disableWebhook;
      failing.set(webhookId, failing.get(webhookId) ?? (gone ? o.error : null));
    }
    const checks = appendDisableChecks(t, statements, failing, options.disableAfterSeconds);
    return { statements, checks };
  }

  function write(batch: AttemptResult[]): Promise<Map<number, string>> {
    const now = Date.now();
    const touch = successesToWrite(
      batch.filter((r) => r.outcome.kind === 'delivered').map((r) => Number(r.delivery.webhook_id)),
      now,
    );
    return inScriptTransaction(db, async (tx) => {
      const { statements, checks } = statementsOf(batch, touch);
      if (checks.length === 0) {
        await tx.commitWith(statements);
        return new Map<number, string>();
      }
      const disabled = await disabledBy(tx.conn, t, await tx.run(statements), checks);
      await tx.commitWith([]);
      return disabled;
    }).then((disabled) => {
      // Only once committed; failures in this batch come after its successes, so they win.
      for (const id of touch) touched.set(id, now);
      for (const r of batch)
        if (r.outcome.kind !== 'delivered') touched.delete(Number(r.delivery.webhook_id));
      return disabled;
    });
  }

  /** Writes a batch, trying again while the database is restarting or a lock is contended. */
  async function writeRetrying(batch: AttemptResult[]): Promise<Map<number, string>> {
    const deadline = Date.now() + (options.retryForMs ?? 30_000);
    for (let wait = 100; ; wait = Math.min(wait * 2, 2000)) {
      try {
        return await write(batch);
      } catch (error) {
        if (!isTransient(error) || Date.now() + wait > deadline) throw error;
        log.warn(
          { err: (error as Error).message, size: batch.length },
          'recording attempts failed; trying again',
        );
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  async function flush(): Promise<void> {
    // A batch is taken after this turn's I/O callbacks, not in the first answer's microtask, so every answer already
    // read joins it (each batch costs a commit).
    while ((await afterIo(), queue.length > 0)) {
      const batch = queue;
      queue = [];
      try {
        const disabled = await writeRetrying(batch.map((b) => b.result));
        deps.metrics.recordAttempts(batch.map((b) => b.result));
        for (const [webhookId, reason] of disabled) {
          log.warn({ webhookId, reason }, 'webhook disabled');
          deps.notifyDisabled(webhookId, reason);
        }
        batch.forEach((b) => b.done());
      } catch (error) {
        log.error(
          { err: error, size: batch.length },
          'recording attempts failed; the lease will make them due again',
        );
        batch.forEach((b) => b.fail(error));
      }
    }
    flushing = null;
  }

  return {
    record(result) {
      return new Promise((done, fail) => {
        queue.push({ result, done, fail });
        flushing ??= flush();
      });
    },
    async drain() {
      while (flushing) await flushing;
    },
  };
}

function toAttemptRecord(r: AttemptResult): sql.AttemptRecord {
  const o = r.outcome;
  return {
    deliveryId: Number(r.delivery.id),
    webhookId: Number(r.delivery.webhook_id),
    attempt: Number(r.delivery.attempts),
    startedAt: toDbTime(r.startedAt),
    durationMs: r.ms,
    statusCode: o.status,
    error: o.kind === 'delivered' ? null : o.error,
    excerpt: r.excerpt,
    requestHeaders: r.requestHeaders,
  };
}

/**
 * Records attempt results in batches: whatever finished while the previous batch was being written goes into the
 * next one, in one transaction (one commit for many deliveries, instead of three per delivery).
 */
import * as sql from '../db/outcomes.ts';
import { inTransaction, isTransient, type Conn, type Pool, type Tables } from '../db/pool.ts';
import type { Logger } from '../log.ts';
import type { AttemptResult } from './attempt.ts';

const dbTime = (d: Date) => d.toISOString().slice(0, 23).replace('T', ' ');

export interface Recorder {
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
  onRecorded: (results: AttemptResult[]) => void;
  onDisabled: (webhookId: number, reason: string) => void;
}

interface Queued {
  result: AttemptResult;
  done: () => void;
  fail: (e: unknown) => void;
}

export function createRecorder(
  db: Pool,
  t: Tables,
  owner: string,
  log: Logger,
  options: RecorderOptions,
): Recorder {
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

  /** Writes failures; returns the webhooks this batch disabled, with the error that did it. */
  async function writeFailures(conn: Conn, batch: AttemptResult[]): Promise<Map<number, string>> {
    const disabled = new Map<number, string>();
    for (const r of batch) {
      const o = r.outcome;
      if (o.kind === 'delivered') continue;
      const webhookId = Number(r.delivery.webhook_id);
      await sql.markFailed(
        conn,
        t,
        owner,
        Number(r.delivery.id),
        o.status,
        o.error,
        o.kind === 'retry' ? o.delaySeconds : null,
      );
      if (r.delivery.webhook_status !== 'active') continue;
      const gone = o.kind === 'give_up' && o.disableWebhook;
      await sql.touchWebhookFailure(conn, t, webhookId, o.error);
      // Set only by the call that disabled it, so WordPress is told once; the reason is what the admin sees as
      // the webhook's last_error.
      if (gone) {
        if (await sql.disableGone(conn, t, webhookId)) disabled.set(webhookId, o.error);
        continue;
      }
      const reason = await sql.disableIfFailingFor(conn, t, webhookId, options.disableAfterSeconds);
      if (reason !== null) disabled.set(webhookId, reason);
    }
    return disabled;
  }

  function write(batch: AttemptResult[]): Promise<Map<number, string>> {
    return inTransaction(db, async (conn) => {
      await sql.insertAttempts(conn, t, batch.map(toAttemptRecord));
      const delivered = batch.filter((r) => r.outcome.kind === 'delivered');
      await sql.markDelivered(
        conn,
        t,
        owner,
        delivered.map((r) => Number(r.delivery.id)),
        delivered.map((r) => (r.outcome as { status: number }).status),
      );
      const now = Date.now();
      const touch = successesToWrite(
        delivered.map((r) => Number(r.delivery.webhook_id)),
        now,
      );
      await sql.touchWebhookSuccess(conn, t, touch);
      const disabled = await writeFailures(conn, batch);
      return { disabled, touch, now };
    }).then(({ disabled, touch, now }) => {
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
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        const disabled = await writeRetrying(batch.map((b) => b.result));
        options.onRecorded(batch.map((b) => b.result));
        for (const [id, reason] of disabled) options.onDisabled(id, reason);
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
        flushing ??= Promise.resolve().then(flush);
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
    startedAt: dbTime(r.startedAt),
    durationMs: r.ms,
    statusCode: o.status,
    error: o.kind === 'delivered' ? null : o.error,
    excerpt: r.excerpt,
    requestHeaders: r.requestHeaders,
  };
}

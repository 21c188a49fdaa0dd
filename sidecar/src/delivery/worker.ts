/**
 * The delivery worker: claim → send → record → reschedule | give up, with bounded concurrency overall and per
 * webhook (a dead endpoint cannot take every slot), woken at once when work arrives and otherwise polling.
 */
import { randomBytes } from 'node:crypto';
import * as sql from '../db/deliveries.ts';
import { inTransaction } from '../db/pool.ts';
import type { Deps } from '../deps.ts';
import { drainInboxOnce } from '../ingest/ingest.ts';
import { runAttempt, type AttemptResult } from './attempt.ts';
import { createRecorder } from './recorder.ts';

export interface WorkerOptions {
  /** Longest idle wait between polls, in milliseconds. */
  pollMs?: number;
  onRecorded?: (results: AttemptResult[]) => void;
}

export interface Worker {
  start(): void;
  wake(): void;
  running(): boolean;
  /** Stops claiming, waits up to `graceMs` for attempts under way, records them, releases the rest. */
  stop(graceMs?: number): Promise<void>;
  readonly owner: string;
}

export function createWorker(deps: Deps, options: WorkerOptions = {}): Worker {
  const { db, tables: t, config, log } = deps;
  const owner = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const pollMs = options.pollMs ?? 1000;
  const inFlight = new Map<number, { webhookId: number; done: Promise<void> }>();
  const perWebhook = new Map<number, number>();
  /** Given back at shutdown while still under way: a late result must not be recorded (it is pending again). */
  const released = new Set<number>();
  let renewTimer: NodeJS.Timeout | undefined;
  let active = false;
  let loopDone: Promise<void> = Promise.resolve();
  let wakeUp: (() => void) | null = null;
  let woken = false;
  const recorder = createRecorder(db, t, owner, log, {
    disableAfterSeconds: config.disableAfterSeconds,
    onRecorded: (results) => {
      deps.metrics.recordAttempts(results);
      options.onRecorded?.(results);
    },
    onDisabled: (webhookId, reason) => {
      log.warn({ webhookId, reason }, 'webhook disabled');
      deps.notifyDisabled(webhookId, reason);
    },
  });
  const attemptDeps = {
    sender: deps.sender,
    cipher: deps.cipher,
    schedule: config.retrySchedule,
    now: deps.now,
    random: Math.random,
  };

  const wake = () => {
    woken = true;
    wakeUp?.();
  };
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (woken || !active) return resolve();
      const timer = setTimeout(resolve, ms);
      wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => {
      wakeUp = null;
    });

  function launch(d: sql.ClaimedDelivery): void {
    const webhookId = Number(d.webhook_id);
    perWebhook.set(webhookId, (perWebhook.get(webhookId) ?? 0) + 1);
    const done = runAttempt(d, attemptDeps)
      .then((result) => (released.has(Number(d.id)) ? undefined : recorder.record(result)))
      .catch((error: unknown) => log.error({ err: error, deliveryId: d.id }, 'attempt failed to complete'))
      .finally(() => {
        inFlight.delete(Number(d.id));
        const left = (perWebhook.get(webhookId) ?? 1) - 1;
        if (left > 0) perWebhook.set(webhookId, left);
        else perWebhook.delete(webhookId);
        wake();
      });
    inFlight.set(Number(d.id), { webhookId, done });
  }

  async function tick(): Promise<number> {
    while ((await drainInboxOnce(deps)) > 0);
    const free = config.concurrency - inFlight.size;
    if (free <= 0) return 0;
    const saturated = [...perWebhook].filter(([, n]) => n >= config.perWebhookConcurrency).map(([id]) => id);
    const room = (webhookId: number) => config.perWebhookConcurrency - (perWebhook.get(webhookId) ?? 0);
    // Read in the claiming transaction: rows are sent only once the claim is committed, and a claim committed
    // just before the connection drops is not left unsent until its lease runs out.
    const claimed = await inTransaction(db, async (conn) =>
      sql.selectClaimed(
        conn,
        t,
        await sql.claimDue(conn, t, owner, Math.min(free, 200), config.leaseSeconds, saturated, room),
      ),
    );
    for (const d of claimed) launch(d);
    return claimed.length;
  }

  /** Keeps the leases of attempts under way fresh, on its own timer so a slow loop iteration cannot starve it. */
  function renewLeases(): void {
    const ids = [...inFlight.keys()].filter((id) => !released.has(id));
    sql
      .renewLeases(db, t, owner, ids, config.leaseSeconds)
      .catch((error: unknown) => log.warn({ err: (error as Error).message }, 'renewing leases failed'));
  }

  async function loop(): Promise<void> {
    let lastLeaseSweep = 0;
    // Expired leases are looked for every half lease (at most 5 s): a dead worker's rows wait 1 to 1.5 leases.
    const sweepEveryMs = Math.min(5000, config.leaseSeconds * 500);
    while (active) {
      woken = false;
      try {
        if (Date.now() - lastLeaseSweep > sweepEveryMs) {
          lastLeaseSweep = Date.now();
          const expired = await sql.releaseExpiredLeases(db, t, { owner, ids: [...inFlight.keys()] });
          if (expired)
            log.warn({ released: expired }, 'deliveries of a stopped worker are due again (lease expired)');
        }
        const claimed = await tick();
        if (claimed > 0 || woken) continue;
        const next = inFlight.size >= config.concurrency ? null : await sql.secondsUntilNextDue(db, t);
        await sleep(next === null ? pollMs : Math.min(pollMs, Math.max(5, next * 1000)));
      } catch (error) {
        log.error({ err: (error as Error).message }, 'worker loop error; retrying shortly');
        await sleep(Math.min(pollMs, 500));
      }
    }
  }

  return {
    owner,
    start() {
      if (active) return;
      active = true;
      loopDone = loop();
      renewTimer = setInterval(renewLeases, (config.leaseSeconds * 1000) / 3);
      renewTimer.unref();
    },
    wake,
    running: () => active,
    async stop(graceMs = config.shutdownGraceMs) {
      active = false;
      wakeUp?.();
      await loopDone;
      const pending = [...inFlight.values()].map((f) => f.done);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all(pending),
        new Promise((resolve) => (timer = setTimeout(resolve, graceMs))),
      ]);
      clearTimeout(timer);
      clearInterval(renewTimer);
      // Whatever is still under way is given back uncounted; results already handed to the recorder are written.
      const left = [...inFlight.keys()];
      for (const id of left) released.add(id);
      await recorder.drain();
      await sql.releaseClaims(db, t, owner, left);
      if (left.length) log.warn({ released: left.length }, 'attempts still under way given back for later');
    },
  };
}

/**
 * The delivery worker: claim → send → record → reschedule | give up, with bounded concurrency overall and per
 * webhook (a dead endpoint cannot take every slot), woken at once when work arrives and otherwise polling.
 */
import { randomBytes } from 'node:crypto';
import * as sql from '../db/deliveries.ts';
import { inTransaction, type Conn } from '../db/pool.ts';
import type { Deps } from '../deps.ts';
import { drainInboxOnce, inboxBatch } from '../ingest/ingest.ts';
import { memoDecrypt, runAttempt, type AttemptResult } from './attempt.ts';
import { createRecorder } from './recorder.ts';

export interface WorkerOptions {
  /** Longest idle wait between polls, in milliseconds. */
  pollMs?: number;
  onRecorded?: (results: AttemptResult[]) => void;
}

export interface Worker {
  start(): void;
  /** There is new work: inbox rows or due deliveries. */
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
  /** Claimed and not yet recorded; `sending` of them are in their HTTP attempt. */
  const inFlight = new Map<number, { webhookId: number; done: Promise<void> }>();
  let sending = 0;
  const perWebhook = new Map<number, number>();
  /** Given back at shutdown while still under way: a late result must not be recorded (it is pending again). */
  const released = new Set<number>();
  let renewTimer: NodeJS.Timeout | undefined;
  /** While busy, claim only when this many slots are free: one claim transaction serves many slots. */
  const claimBatch = Math.max(1, Math.min(32, Math.floor(config.concurrency / 4)));
  let active = false;
  let loopDone: Promise<void> = Promise.resolve();
  let wakeUp: (() => void) | null = null;
  let woken = false;
  let inboxDue = true;
  let lastInboxDrain = 0;
  /** Whether the last claim took as many rows as it asked for (more may be due). */
  let lastClaimFull = false;
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
    cipher: memoDecrypt(deps.cipher),
    schedule: config.retrySchedule,
    now: deps.now,
    random: Math.random,
  };

  /** Wakes the loop (an attempt finished, a slot is free). */
  const kick = () => {
    woken = true;
    wakeUp?.();
  };
  /** Wakes the loop and has it look at the inbox too (the plugin or ingest says there is work). */
  const wake = () => {
    inboxDue = true;
    kick();
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

  /** Slots for new claims: `concurrency` bounds the HTTP attempts, twice that bounds what waits in memory. */
  const freeSlots = () => Math.min(config.concurrency - sending, 2 * config.concurrency - inFlight.size);

  function release(webhookId: number): void {
    sending--;
    const left = (perWebhook.get(webhookId) ?? 1) - 1;
    if (left > 0) perWebhook.set(webhookId, left);
    else perWebhook.delete(webhookId);
  }

  function launch(d: sql.ClaimedDelivery): void {
    const webhookId = Number(d.webhook_id);
    sending++;
    perWebhook.set(webhookId, (perWebhook.get(webhookId) ?? 0) + 1);
    const done = runAttempt(d, attemptDeps)
      .then(
        (result) => {
          // The HTTP part is over, so its slot takes the next delivery now; the row stays in_flight (and leased)
          // until the recorder has committed the outcome, so a crash in between means a redelivery, never a loss.
          release(webhookId);
          kick();
          return released.has(Number(d.id)) ? undefined : recorder.record(result);
        },
        (error: unknown) => {
          release(webhookId);
          throw error;
        },
      )
      .catch((error: unknown) => log.error({ err: error, deliveryId: d.id }, 'attempt failed to complete'))
      .finally(() => {
        inFlight.delete(Number(d.id));
        kick();
      });
    inFlight.set(Number(d.id), { webhookId, done });
  }

  const slotsToClaim = () => {
    const free = freeSlots();
    return free <= 0 || (free < claimBatch && sending > 0) ? 0 : Math.min(free, 200);
  };
  const saturatedWebhooks = () =>
    [...perWebhook].filter(([, n]) => n >= config.perWebhookConcurrency).map(([id]) => id);

  /**
   * Claims due deliveries in `conn`'s transaction and reads them there: rows are sent only once the claim is
   * committed, and a claim committed just before the connection drops is not left unsent until its lease runs out.
   */
  async function claimIn(conn: Conn): Promise<sql.ClaimedDelivery[]> {
    const limit = slotsToClaim();
    if (limit === 0) return [];
    const room = (webhookId: number) => config.perWebhookConcurrency - (perWebhook.get(webhookId) ?? 0);
    const ids = await sql.claimDue(conn, t, owner, limit, config.leaseSeconds, saturatedWebhooks(), room);
    lastClaimFull = ids.length >= limit;
    return sql.selectClaimed(conn, t, ids);
  }

  /**
   * Moves inbox rows to events and deliveries when told there are some, or once per poll interval, claiming in
   * the same transaction. Returns how many deliveries it launched.
   */
  async function drainInboxIfDue(): Promise<number> {
    if (!inboxDue && Date.now() - lastInboxDrain < pollMs) return 0;
    inboxDue = false;
    lastInboxDrain = Date.now();
    let launched = 0;
    for (;;) {
      const { rows, then: claimed = [] } = await drainInboxOnce(deps, claimIn);
      for (const d of claimed) launch(d);
      launched += claimed.length;
      // A short batch means the inbox is empty now (rows written meanwhile come with their own wake-up).
      if (rows < inboxBatch) return launched;
    }
  }

  /**
   * One round: inbox, then a claim. 'claimed' = more may be due (go again at once); 'busy' = waiting for slots (a
   * finishing attempt wakes the loop); 'idle' = nothing else due now (a claim that came back short took it all,
   * so no empty claim transaction follows; new work wakes the loop, retries are timed by their due time).
   */
  async function tick(): Promise<'claimed' | 'busy' | 'idle'> {
    if ((await drainInboxIfDue()) > 0) return lastClaimFull ? 'claimed' : 'idle';
    if (slotsToClaim() === 0) return 'busy';
    const saturated = saturatedWebhooks();
    const claimed = await inTransaction(db, claimIn);
    for (const d of claimed) launch(d);
    if (claimed.length > 0) return lastClaimFull ? 'claimed' : 'idle';
    // Nothing claimable but webhooks at their limit may have rows due: wait for one of their attempts to end
    // (it wakes the loop) instead of polling every few ms a query that scans their backlog.
    return saturated.length > 0 ? 'busy' : 'idle';
  }

  async function sweepLeases(): Promise<void> {
    const expired = await sql.releaseExpiredLeases(db, t, { owner, ids: [...inFlight.keys()] });
    if (expired)
      log.warn({ released: expired }, 'deliveries of a stopped worker are due again (lease expired)');
  }

  /**
   * Keeps the leases of claimed, unrecorded deliveries fresh, on its own timer so that a slow loop iteration
   * cannot starve it: a lease then lapses only when its owner is gone, not because a send or its recording
   * (the database restarting) took long.
   */
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
          await sweepLeases();
        }
        const state = await tick();
        if (state === 'claimed' || woken) continue;
        const next = state === 'busy' ? null : await sql.secondsUntilNextDue(db, t);
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

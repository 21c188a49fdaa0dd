/**
 * The delivery worker: claim → send → record → reschedule | give up, with bounded concurrency overall and per
 * webhook (a dead endpoint cannot take every slot), woken at once when work arrives and otherwise polling.
 */
import { randomBytes } from 'node:crypto';
import { claimAndCommit, type Claim, type ClaimRequest } from './claim/claim.ts';
import { secondsUntilNextDue } from './claim/claimed.ts';
import { inScriptTransaction } from '../db/scripts.ts';
import type { Deps } from '../deps.ts';
import { drainInboxOnce } from '../ingest/inbox.ts';
import type { AttemptResult } from './pipeline.ts';
import { createClaimPlan } from './claim/plan.ts';
import { createDispatch } from './dispatch.ts';

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
  const dispatch = createDispatch(deps, {
    owner,
    // A freed slot (or recorded attempt) matters only when a claim was held back by slots or by a webhook's
    // limit; after a claim that came back short nothing else is due, and waking would run an empty claim.
    onSlotFree: () => {
      if (claimWanted) kick();
    },
    onRecorded: (results) => {
      // A retry changes when the next delivery is due: look again (the sleep may be a whole poll interval).
      if (results.some((r) => r.outcome.kind === 'retry')) {
        claimWanted = true;
        kick();
      }
      options.onRecorded?.(results);
    },
  });
  const { slots, leases, launch } = dispatch;
  let active = false;
  let loopDone: Promise<void> = Promise.resolve();
  let wakeUp: (() => void) | null = null;
  let woken = false;
  let inboxDue = true;
  let lastInboxDrain = 0;
  /**
   * Whether deliveries may be due that no claim has looked for yet: new work, a due time reached, a claim held
   * back by slots, or rows of webhooks at their limit. False after a claim that came back short with no webhook
   * skipped: everything due was taken, so a freed slot has nothing to claim.
   */
  let claimWanted = true;
  /** Wakes the loop (an attempt finished, a slot is free). */
  const kick = () => {
    woken = true;
    wakeUp?.();
  };
  /** Wakes the loop and has it look at the inbox too (the plugin or ingest says there is work). */
  const wake = () => {
    inboxDue = true;
    claimWanted = true;
    kick();
  };
  /** Sleeps `ms` or until kicked; a sleep that runs out means a due time or the poll interval was reached. */
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (woken || !active) return resolve();
      const timer = setTimeout(() => {
        claimWanted = true;
        resolve();
      }, ms);
      wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => {
      wakeUp = null;
    });

  const plan = createClaimPlan({
    db,
    tables: t,
    slots,
    owner,
    leaseSeconds: config.leaseSeconds,
    concurrency: config.concurrency,
  });

  /**
   * What a claim now asks for, or null when no slot is free. Taking the request means claiming is up to date
   * (claimWanted false) until what the claim finds says otherwise (see claimed()).
   */
  function claimRequest(): ClaimRequest | null {
    const request = plan.request();
    if (request) claimWanted = false;
    return request;
  }

  /**
   * Launches a committed claim. 'claimed' = it was full, more may be due; 'busy' = nothing claimable but webhooks at
   * their limit may have rows due (one of their attempts ending wakes the loop, instead of polling a query that
   * scans their backlog every few ms); 'idle' = it came back short, nothing else is due now.
   */
  function claimed(claim: Claim): 'claimed' | 'busy' | 'idle' {
    launch(claim.deliveries);
    // Rows of webhooks at their limit may be due (skipped or held back): one of their attempts ending claims again.
    if (claim.full || claim.skipped || claim.heldBack > 0) claimWanted = true;
    if (claim.deliveries.length > 0) return claim.full ? 'claimed' : 'idle';
    return claim.skipped ? 'busy' : 'idle';
  }

  /**
   * Moves inbox rows to events and deliveries when told there are some, or once per poll interval, claiming in
   * the same transaction. Returns the state of the last claim made, or null when none was (empty inbox, no slot).
   */
  async function drainInboxIfDue(): Promise<'claimed' | 'busy' | 'idle' | null> {
    if (!inboxDue && Date.now() - lastInboxDrain < pollMs) return null;
    inboxDue = false;
    lastInboxDrain = Date.now();
    let state: 'claimed' | 'busy' | 'idle' | null = null;
    for (;;) {
      const drained = await drainInboxOnce(deps, claimRequest);
      if (drained.claim) state = claimed(drained.claim);
      // A short batch means the inbox is empty now (rows written meanwhile come with their own wake-up).
      if (!drained.more) return state;
    }
  }

  /**
   * One round: inbox (claiming with it), else a claim of its own. 'claimed', 'busy', 'idle': see claimed(); 'busy'
   * also when no slot is free (a finishing attempt wakes the loop); 'nothing' = woken by a freed slot or a recorded
   * attempt with nothing to claim (sleep on, until the same due time as before).
   */
  async function tick(): Promise<'claimed' | 'busy' | 'idle' | 'nothing'> {
    await plan.refresh();
    const drained = await drainInboxIfDue();
    if (drained) return drained;
    if (!claimWanted) return 'nothing';
    const request = claimRequest();
    if (!request) return 'busy';
    const { claim } = await inScriptTransaction(deps.scriptDb, (tx) => claimAndCommit(tx, t, request));
    return claimed(claim!);
  }

  async function loop(): Promise<void> {
    /** When the current idle sleep ends (epoch ms): the next due time or the poll interval. */
    let sleepUntil = 0;
    while (active) {
      woken = false;
      try {
        if ((await leases.sweepIfDue()) > 0) claimWanted = true;
        const state = await tick();
        if (state === 'claimed' || woken) continue;
        if (state !== 'nothing' || Date.now() >= sleepUntil) {
          const next = state === 'busy' ? null : await secondsUntilNextDue(db, t);
          sleepUntil = Date.now() + (next === null ? pollMs : Math.min(pollMs, Math.max(5, next * 1000)));
        }
        await sleep(Math.max(0, sleepUntil - Date.now()));
      } catch (error) {
        // The round may have stopped after taking the flags: look at the inbox and claim again next time.
        inboxDue = true;
        claimWanted = true;
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
      // Work may have come while stopped (its wake-ups were not heard): look at the inbox and claim at once.
      inboxDue = true;
      claimWanted = true;
      loopDone = loop();
      leases.start();
    },
    wake,
    running: () => active,
    async stop(graceMs = config.shutdownGraceMs) {
      active = false;
      wakeUp?.();
      await loopDone;
      await dispatch.stop(graceMs);
    },
  };
}

/**
 * The delivery worker: runs the pipeline's stages (pipeline.ts) with bounded concurrency overall and per webhook
 * (a dead endpoint cannot take every slot), woken at once when work arrives and otherwise polling. What it knows
 * between rounds is one value, `state`; each change to it is made by a named function below.
 */
import { holdSends, takeSendSlot } from '../db/pacing.ts';
import { siteOf } from '../site.ts';
import { randomBytes } from 'node:crypto';
import type { Deps } from '../deps.ts';
import type { Claim, ClaimRequest } from './claim/claim.ts';
import { releaseClaims, secondsUntilNextDue, type ClaimedDelivery } from './claim/claimed.ts';
import { createLeaseKeeper } from './claim/leases.ts';
import { createClaimPlan } from './claim/plan.ts';
import { createSlots } from './claim/slots.ts';
import { createRecorder } from './outcome/record.ts';
import { attempt, claimDue, drainFanOutClaim, type AttemptDeps } from './pipeline.ts';
import { createWebhookOpener } from '../sealed-webhook.ts';

export interface WorkerOptions {
  /** Longest idle wait between polls, in milliseconds. */
  pollMs?: number;
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

/** How a round ended (see tick). */
type Round = 'claimed' | 'busy' | 'idle' | 'nothing';

/** What the worker knows between rounds. */
interface WorkerState {
  /** Started and not stopped: the loop runs and claims. */
  active: boolean;
  /** Stopping: claimed deliveries are no longer started. */
  stopping: boolean;
  /** Kicked during the round (an attempt ended, a slot is free, new work): go round again instead of sleeping. */
  woken: boolean;
  /** Ends the current sleep early; null while the loop is awake. */
  wakeUp: (() => void) | null;
  /** The inbox may have rows: a wake-up, a start, or a round that failed. */
  inboxDue: boolean;
  /** When the inbox was last drained (epoch ms): it is looked at at least once per poll interval. */
  lastInboxDrain: number;
  /**
   * Whether deliveries may be due that no claim has looked for yet: new work, a due time reached, a claim held
   * back by slots, or rows of webhooks at their limit. False after a claim that came back short with no webhook
   * skipped: everything due was taken, so a freed slot has nothing to claim.
   */
  claimWanted: boolean;
}

export function createWorker(deps: Deps, options: WorkerOptions = {}): Worker {
  const { db, tables: t, config, log } = deps;
  const owner = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const pollMs = options.pollMs ?? 1000;
  const state: WorkerState = {
    active: false,
    stopping: false,
    woken: false,
    wakeUp: null,
    inboxDue: true,
    lastInboxDrain: 0,
    claimWanted: true,
  };
  const slots = createSlots({ concurrency: config.concurrency, perWebhook: config.perWebhookConcurrency });
  const { inFlight } = slots;
  /** Given back at shutdown while still under way: a late result must not be recorded (it is pending again). */
  const released = new Set<number>();
  const leases = createLeaseKeeper({
    db,
    tables: t,
    owner,
    log,
    leaseSeconds: config.leaseSeconds,
    own: () => [...inFlight.keys()],
    renewable: () => [...inFlight.keys()].filter((id) => !released.has(id)),
  });
  const plan = createClaimPlan({
    db,
    tables: t,
    slots,
    owner,
    leaseSeconds: config.leaseSeconds,
    concurrency: config.concurrency,
  });
  // The script pool: a batch's writes go in one round trip with its BEGIN and COMMIT.
  const recorder = createRecorder(deps, owner, { disableAfterSeconds: config.disableAfterSeconds });
  const attemptDeps: AttemptDeps = {
    sender: deps.sender,
    open: createWebhookOpener(deps.cipher),
    policy: { schedule: config.retrySchedule, random: Math.random },
    now: deps.now,
    site: siteOf(deps),
    async pace(webhookId, intervalSeconds) {
      const slot = await takeSendSlot(deps.scriptDb, t, webhookId, intervalSeconds);
      if (slot.waitMs > 0) await new Promise((resolve) => setTimeout(resolve, slot.waitMs));
    },
    hold: (webhookId, seconds) => holdSends(db, t, webhookId, seconds),
  };
  let loopDone: Promise<void> = Promise.resolve();

  // ── state changes ──────────────────────────────────────────────────────────────────────────────────────────

  /** Wakes the loop (an attempt finished, a slot is free). */
  function kick(): void {
    state.woken = true;
    state.wakeUp?.();
  }

  /** New work (the plugin, ingest, a start, a failed round): look at the inbox and claim. */
  function workArrived(): void {
    state.inboxDue = true;
    state.claimWanted = true;
    kick();
  }

  /**
   * An HTTP slot is free or an attempt is recorded. It matters only when a claim was held back by slots or by a
   * webhook's limit; after a claim that came back short nothing else is due, and waking would run an empty claim.
   */
  function slotFreed(): void {
    if (state.claimWanted) kick();
  }

  /** A retry changes when the next delivery is due: look again (the sleep may be a whole poll interval). */
  function retryRecorded(): void {
    state.claimWanted = true;
    kick();
  }

  /**
   * What a claim now asks for, or null when no slot is free. Taking the request means claiming is up to date
   * (claimWanted false) until what the claim finds says otherwise (see launch()).
   */
  function claimRequest(): ClaimRequest | null {
    const request = plan.request();
    if (request) state.claimWanted = false;
    return request;
  }

  // ── attempts ───────────────────────────────────────────────────────────────────────────────────────────────

  /**
   * Starts a committed claim's deliveries while slots are free. 'claimed' = it was full, more may be due; 'busy' =
   * nothing claimable but webhooks at their limit may have rows due (one of their attempts ending wakes the loop,
   * instead of polling a query that scans their backlog every few ms); 'idle' = it came back short, nothing else
   * is due now.
   */
  function launch(claim: Claim): 'claimed' | 'busy' | 'idle' {
    slots.enqueue(claim.deliveries);
    startWhileSlotsFree();
    // Rows of webhooks at their limit may be due (skipped or held back): one of their attempts ending claims again.
    if (claim.full || claim.skipped || claim.heldBack > 0) state.claimWanted = true;
    if (claim.deliveries.length > 0) return claim.full ? 'claimed' : 'idle';
    return claim.skipped ? 'busy' : 'idle';
  }

  function startWhileSlotsFree(): void {
    for (let d = state.stopping ? null : slots.next(); d; d = slots.next())
      inFlight.set(Number(d.id), run(d));
  }

  /**
   * One delivery from its slot to its recorded outcome. The HTTP slot is given back as soon as the exchange ends,
   * so it takes the next delivery at once; the row stays in flight (and leased) until the recorder has committed
   * the outcome, so a crash in between means a redelivery, never a loss.
   */
  async function run(d: ClaimedDelivery): Promise<void> {
    const id = Number(d.id);
    const webhookId = Number(d.webhook_id);
    // Claimed again after a restart of this worker: this attempt's result is recorded. (Should the attempt given back
    // at the stop still be hanging, its late result may be recorded too: at worst one more attempt row.)
    released.delete(id);
    try {
      let result;
      try {
        result = await attempt(d, attemptDeps);
      } finally {
        slots.release(webhookId);
        startWhileSlotsFree();
      }
      slotFreed();
      if (released.has(id)) return;
      await recorder.record(result);
      if (result.outcome.kind === 'retry') retryRecorded();
    } catch (error) {
      log.error({ err: error, deliveryId: d.id }, 'attempt failed to complete');
    } finally {
      inFlight.delete(id);
      slotFreed();
    }
  }

  // ── the loop ───────────────────────────────────────────────────────────────────────────────────────────────

  /**
   * Drain → fan out → claim, when told the inbox has rows or once per poll interval. Returns the state of the last
   * claim made, or null when none was (empty inbox, no slot).
   */
  async function drainIfDue(): Promise<'claimed' | 'busy' | 'idle' | null> {
    if (!state.inboxDue && Date.now() - state.lastInboxDrain < pollMs) return null;
    state.inboxDue = false;
    state.lastInboxDrain = Date.now();
    let round: 'claimed' | 'busy' | 'idle' | null = null;
    for (;;) {
      const drained = await drainFanOutClaim(deps, claimRequest);
      if (drained.claim) round = launch(drained.claim);
      // A short batch means the inbox is empty now (rows written meanwhile come with their own wake-up).
      if (!drained.more) return round;
    }
  }

  /**
   * One round: the inbox (claiming with it), else a claim of its own. 'claimed', 'busy', 'idle': see launch();
   * 'busy' also when no slot is free (a finishing attempt wakes the loop); 'nothing' = woken by a freed slot or a
   * recorded attempt with nothing to claim (sleep on, until the same due time as before).
   */
  async function tick(): Promise<Round> {
    await plan.refresh();
    const drained = await drainIfDue();
    if (drained) return drained;
    if (!state.claimWanted) return 'nothing';
    const request = claimRequest();
    if (!request) return 'busy';
    return launch(await claimDue(deps, request));
  }

  /** Sleeps `ms` or until kicked; a sleep that runs out means a due time or the poll interval was reached. */
  function sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      if (state.woken || !state.active) return resolve();
      const timer = setTimeout(() => {
        state.claimWanted = true;
        resolve();
      }, ms);
      state.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => {
      state.wakeUp = null;
    });
  }

  async function loop(): Promise<void> {
    /** When the current idle sleep ends (epoch ms): the next due time or the poll interval. */
    let sleepUntil = 0;
    while (state.active) {
      state.woken = false;
      try {
        if ((await leases.sweepIfDue()) > 0) state.claimWanted = true;
        const round = await tick();
        if (round === 'claimed' || state.woken) continue;
        if (round !== 'nothing' || Date.now() >= sleepUntil) {
          const next = round === 'busy' ? null : await secondsUntilNextDue(db, t);
          sleepUntil = Date.now() + (next === null ? pollMs : Math.min(pollMs, Math.max(5, next * 1000)));
        }
        await sleep(Math.max(0, sleepUntil - Date.now()));
      } catch (error) {
        // The round may have stopped after taking the flags: look at the inbox and claim again next time.
        state.inboxDue = true;
        state.claimWanted = true;
        log.error({ err: (error as Error).message }, 'worker loop error; retrying shortly');
        await sleep(Math.min(pollMs, 500));
      }
    }
  }

  /** Waits up to `graceMs` for attempts under way, records them, gives the rest back uncounted. */
  async function finish(graceMs: number): Promise<void> {
    state.stopping = true;
    // Claimed but never sent: given back uncounted at once, not after the grace period.
    const queued = slots.dropQueued().map((d) => Number(d.id));
    const pending = [...inFlight.values()];
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(pending),
      new Promise((resolve) => (timer = setTimeout(resolve, graceMs))),
    ]);
    clearTimeout(timer);
    leases.stop();
    // Whatever is still under way is given back uncounted; results already handed to the recorder are written.
    const left = [...inFlight.keys()];
    for (const id of left) released.add(id);
    await recorder.drain();
    await releaseClaims(db, t, owner, [...queued, ...left]);
    if (left.length) log.warn({ released: left.length }, 'attempts still under way given back for later');
    // A worker started again (start()) sends what it claims from now on.
    state.stopping = false;
  }

  return {
    owner,
    start() {
      if (state.active) return;
      state.active = true;
      // Work may have come while stopped (its wake-ups were not heard): look at the inbox and claim at once.
      state.inboxDue = true;
      state.claimWanted = true;
      loopDone = loop();
      leases.start();
    },
    wake: workArrived,
    running: () => state.active,
    async stop(graceMs = config.shutdownGraceMs) {
      state.active = false;
      state.wakeUp?.();
      await loopDone;
      await finish(graceMs);
    },
  };
}

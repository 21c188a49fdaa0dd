/**
 * Runs claimed deliveries: each takes an HTTP slot for its attempt, gives it back when the exchange ends, and stays
 * claimed (in flight, leased) until the recorder has committed its outcome. At shutdown, what is still under way
 * after the grace period is given back uncounted.
 */
import * as sql from './claim/claimed.ts';
import type { Deps } from '../deps.ts';
import { memoDecrypt, runAttempt, type AttemptResult } from './pipeline.ts';
import { createLeaseKeeper, type LeaseKeeper } from './claim/leases.ts';
import { createRecorder } from './outcome/record.ts';
import { createSlots, type Slots } from './claim/slots.ts';

export interface Dispatch {
  readonly slots: Slots;
  readonly leases: LeaseKeeper;
  /** Queues claimed (committed) deliveries and starts as many as there are free HTTP slots. */
  launch(claimed: sql.ClaimedDelivery[]): void;
  /** Waits up to `graceMs` for attempts under way, records them, gives the rest back. */
  stop(graceMs: number): Promise<void>;
}

export interface DispatchOptions {
  owner: string;
  /** Called when an HTTP slot is free or a delivery is recorded (the claim loop may go on). */
  onSlotFree: () => void;
  onRecorded?: (results: AttemptResult[]) => void;
}

export function createDispatch(deps: Deps, options: DispatchOptions): Dispatch {
  const { db, tables: t, config, log } = deps;
  const { owner, onSlotFree } = options;
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
  // The script pool: a batch's writes go in one round trip with its BEGIN and COMMIT.
  const recorder = createRecorder(deps.scriptDb, t, owner, log, {
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

  let stopping = false;

  /** Starts queued deliveries while HTTP slots are free. */
  function pump(): void {
    for (let d = stopping ? null : slots.next(); d; d = slots.next()) start(d);
  }

  function start(d: sql.ClaimedDelivery): void {
    const id = Number(d.id);
    // Claimed again after a restart of this worker: this attempt's result is recorded. (Should the attempt given back
    // at the stop still be hanging, its late result may be recorded too: at worst one more attempt row.)
    released.delete(id);
    const webhookId = Number(d.webhook_id);
    const done = runAttempt(d, attemptDeps)
      .then(
        (result) => {
          // The HTTP part is over, so its slot takes the next delivery now; the row stays in_flight (and leased)
          // until the recorder has committed the outcome, so a crash in between means a redelivery, never a loss.
          slots.release(webhookId);
          pump();
          onSlotFree();
          return released.has(id) ? undefined : recorder.record(result);
        },
        (error: unknown) => {
          slots.release(webhookId);
          pump();
          throw error;
        },
      )
      .catch((error: unknown) => log.error({ err: error, deliveryId: d.id }, 'attempt failed to complete'))
      .finally(() => {
        inFlight.delete(id);
        onSlotFree();
      });
    inFlight.set(id, done);
  }

  async function stop(graceMs: number): Promise<void> {
    stopping = true;
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
    await sql.releaseClaims(db, t, owner, [...queued, ...left]);
    if (left.length) log.warn({ released: left.length }, 'attempts still under way given back for later');
    // A worker started again (worker.start()) sends what it claims from now on.
    stopping = false;
  }

  return {
    slots,
    leases,
    launch(claimed) {
      slots.enqueue(claimed);
      pump();
    },
    stop,
  };
}

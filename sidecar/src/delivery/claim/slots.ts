/**
 * The worker's bookkeeping of claimed deliveries: a ready queue (claimed, committed, waiting for an HTTP slot), the
 * attempts in their HTTP exchange (bounded overall and per webhook, so a dead endpoint cannot take every slot), and
 * everything claimed and not yet recorded.
 */
import { effectiveRateLimit } from '../../../../shared/destinations.ts';
import { asFormat } from '../../render/destination.ts';
import type { ClaimedDelivery } from './claimed.ts';

/**
 * A paced webhook (a rate limit of its own or its format's) sends one at a time: its deliveries wait for their
 * slot in due order, and it holds one HTTP slot, not its whole share, while it waits.
 */
const pacedLimit = 1;
const isPaced = (d: ClaimedDelivery) =>
  effectiveRateLimit(asFormat(d.format), d.rate_limit == null ? null : Number(d.rate_limit)) !== null;

export interface SlotLimits {
  /** HTTP attempts under way at once (FCWH_CONCURRENCY). */
  concurrency: number;
  /** HTTP attempts under way at once per webhook (FCWH_PER_WEBHOOK_CONCURRENCY). */
  perWebhook: number;
}

export interface Slots {
  /** Claimed, unrecorded deliveries: id → the promise that settles once recorded (null while queued). */
  readonly inFlight: Map<number, Promise<void> | null>;
  /** Attempts in their HTTP exchange. */
  sending(): number;
  /** Claimed deliveries waiting for an HTTP slot. */
  queued(): number;
  /** Queues claimed (committed) deliveries. */
  enqueue(claimed: ClaimedDelivery[]): void;
  /** Takes the oldest queued delivery whose webhook has a free slot, with its slot; null when none can go. */
  next(): ClaimedDelivery | null;
  /** Gives the HTTP slot back (the exchange is over; the row is in flight until recorded). */
  release(webhookId: number): void;
  /** Empties the queue (shutdown): what it held was never attempted. */
  dropQueued(): ClaimedDelivery[];
  /**
   * How many more deliveries may be claimed now. Up to one round of `concurrency` is claimed ahead of the HTTP
   * slots, so a slot that frees takes its next delivery at once instead of after a claim transaction; three
   * rounds bound what waits in memory (sending, queued, being recorded).
   */
  claimable(): number;
  /**
   * How many more deliveries of `webhookId` may be claimed now: sending and queued together stay within its limit,
   * so a dead endpoint holds no more rows in flight than its share (the queue ahead serves the other webhooks).
   */
  room(webhookId: number): number;
  /** Webhooks with no room (a claim skips them). */
  saturated(): number[];
}

export function createSlots(limits: SlotLimits): Slots {
  const { concurrency, perWebhook } = limits;
  const inFlight = new Map<number, Promise<void> | null>();
  let ready: ClaimedDelivery[] = [];
  /** Per webhook: attempts sending, and claimed (sending + queued). */
  const sendingOf = new Map<number, number>();
  const claimedOf = new Map<number, number>();
  /** Per webhook, its limit when lower than `perWebhook` (paced), as its latest claimed delivery said. */
  const limitOf = new Map<number, number>();
  const limit = (webhookId: number) => limitOf.get(webhookId) ?? perWebhook;
  let sending = 0;
  const add = (map: Map<number, number>, id: number, n: number) => {
    const value = (map.get(id) ?? 0) + n;
    if (value > 0) map.set(id, value);
    else map.delete(id);
  };
  return {
    inFlight,
    sending: () => sending,
    queued: () => ready.length,
    enqueue(claimed) {
      for (const d of claimed) {
        ready.push(d);
        inFlight.set(Number(d.id), null);
        add(claimedOf, Number(d.webhook_id), 1);
        if (isPaced(d)) limitOf.set(Number(d.webhook_id), Math.min(pacedLimit, perWebhook));
        else limitOf.delete(Number(d.webhook_id));
      }
    },
    next() {
      if (sending >= concurrency) return null;
      const i = ready.findIndex(
        (d) => (sendingOf.get(Number(d.webhook_id)) ?? 0) < limit(Number(d.webhook_id)),
      );
      if (i < 0) return null;
      const [d] = ready.splice(i, 1);
      sending++;
      add(sendingOf, Number(d!.webhook_id), 1);
      return d!;
    },
    release(webhookId) {
      sending--;
      add(sendingOf, webhookId, -1);
      add(claimedOf, webhookId, -1);
    },
    dropQueued() {
      const dropped = ready;
      ready = [];
      for (const d of dropped) {
        inFlight.delete(Number(d.id));
        add(claimedOf, Number(d.webhook_id), -1);
      }
      return dropped;
    },
    claimable: () => Math.min(2 * concurrency - sending - ready.length, 3 * concurrency - inFlight.size),
    room: (webhookId) => limit(webhookId) - (claimedOf.get(webhookId) ?? 0),
    saturated: () => [...claimedOf].filter(([id, n]) => n >= limit(id)).map(([id]) => id),
  };
}

/**
 * The worker's bookkeeping of claimed deliveries: which are in their HTTP attempt (bounded overall and per webhook,
 * so a dead endpoint cannot take every slot) and which are claimed and not yet recorded.
 */

export interface SlotLimits {
  /** HTTP attempts under way at once (FCWH_CONCURRENCY). */
  concurrency: number;
  /** HTTP attempts under way at once per webhook (FCWH_PER_WEBHOOK_CONCURRENCY). */
  perWebhook: number;
}

export interface Slots {
  /** Claimed, unrecorded deliveries: id → webhook and the promise that settles once recorded (or dropped). */
  readonly inFlight: Map<number, { webhookId: number; done: Promise<void> }>;
  /** Attempts in their HTTP exchange. */
  sending(): number;
  /** Takes an HTTP slot for one attempt of `webhookId`. */
  take(webhookId: number): void;
  /** Gives the HTTP slot back (the exchange is over; the row is still in flight until recorded). */
  release(webhookId: number): void;
  /** Slots for new claims: `concurrency` bounds the HTTP attempts, twice that bounds what waits in memory. */
  free(): number;
  /** How many more deliveries of `webhookId` may be claimed now. */
  room(webhookId: number): number;
  /** Webhooks at their limit (a claim skips them). */
  saturated(): number[];
}

export function createSlots(limits: SlotLimits): Slots {
  const inFlight = new Map<number, { webhookId: number; done: Promise<void> }>();
  const perWebhook = new Map<number, number>();
  let sending = 0;
  return {
    inFlight,
    sending: () => sending,
    take(webhookId) {
      sending++;
      perWebhook.set(webhookId, (perWebhook.get(webhookId) ?? 0) + 1);
    },
    release(webhookId) {
      sending--;
      const left = (perWebhook.get(webhookId) ?? 1) - 1;
      if (left > 0) perWebhook.set(webhookId, left);
      else perWebhook.delete(webhookId);
    },
    free: () => Math.min(limits.concurrency - sending, 2 * limits.concurrency - inFlight.size),
    room: (webhookId) => limits.perWebhook - (perWebhook.get(webhookId) ?? 0),
    saturated: () => [...perWebhook].filter(([, n]) => n >= limits.perWebhook).map(([id]) => id),
  };
}

/**
 * The worker's slots: one round of deliveries is claimed ahead of the HTTP slots (a freed slot starts the next at
 * once), each webhook keeps to its own limit, and what was queued but never sent is handed back at shutdown.
 */
import { describe, expect, it } from 'vitest';
import type { ClaimedDelivery } from '../../sidecar/src/delivery/claim/claimed.ts';
import { createSlots } from '../../sidecar/src/delivery/claim/slots.ts';

let nextId = 1;
const claimed = (webhookId: number, n = 1): ClaimedDelivery[] =>
  Array.from({ length: n }, () => ({ id: nextId++, webhook_id: webhookId }) as ClaimedDelivery);

describe('worker slots', () => {
  it('claims one round ahead of the HTTP slots and no further', () => {
    const slots = createSlots({ concurrency: 4, perWebhook: 4 });
    expect(slots.claimable()).toBe(8);
    slots.enqueue(claimed(1, 8));
    const started = [1, 2, 3, 4, 5].map(() => slots.next());
    expect(started.filter(Boolean)).toHaveLength(4);
    expect(slots.sending()).toBe(4);
    expect(slots.queued()).toBe(4);
    expect(slots.claimable()).toBe(0);
    // An exchange ends: its slot takes a queued delivery at once, and one more may be claimed.
    slots.release(1);
    expect(slots.next()).not.toBeNull();
    expect(slots.claimable()).toBe(1);
  });

  it('stops claiming when three rounds are claimed and unrecorded, however few are sending', () => {
    const slots = createSlots({ concurrency: 2, perWebhook: 2 });
    slots.enqueue(claimed(1, 4));
    for (let i = 0; i < 2; i++) slots.next();
    for (let i = 0; i < 2; i++) slots.release(1); // sent, waiting for the recorder (still in flight)
    expect(slots.claimable()).toBe(2);
    slots.enqueue(claimed(1, 2));
    expect(slots.inFlight.size).toBe(6);
    expect(slots.claimable()).toBe(0);
  });

  it('keeps sending and queued deliveries of one webhook within its limit, so a dead endpoint holds only its share', () => {
    const slots = createSlots({ concurrency: 8, perWebhook: 2 });
    expect(slots.room(1)).toBe(2);
    const a = claimed(1, 2);
    const b = claimed(2, 1);
    slots.enqueue([...a, ...b]);
    expect(slots.room(1)).toBe(0);
    expect(slots.saturated()).toEqual([1]);
    expect([slots.next(), slots.next(), slots.next(), slots.next()].map((d) => d?.id ?? null)).toEqual([
      a[0]!.id,
      a[1]!.id,
      b[0]!.id,
      null,
    ]);
    expect(slots.room(1)).toBe(0);
    slots.release(1);
    expect(slots.room(1)).toBe(1);
    expect(slots.saturated()).toEqual([]);
  });

  it('hands back queued deliveries that were never sent, and only those', () => {
    const slots = createSlots({ concurrency: 1, perWebhook: 1 });
    const ds = claimed(5, 3);
    slots.enqueue(ds);
    const sending = slots.next();
    expect(sending?.id).toBe(ds[0]!.id);
    expect(slots.dropQueued().map((d) => d.id)).toEqual([ds[1]!.id, ds[2]!.id]);
    expect([...slots.inFlight.keys()]).toEqual([ds[0]!.id]);
    expect(slots.queued()).toBe(0);
    expect(slots.room(5)).toBe(0);
  });
});

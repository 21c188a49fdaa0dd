/**
 * The delivery log through WordPress, as an administrator's `curl -u` uses it: the list (paginated, X-WP-Total,
 * filtered by status and event), one delivery with every attempt and its request headers without secrets,
 * redelivery (same webhook-id, a new attempt) and replay of failed deliveries since a time.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as s from '../../shared/schemas.ts';
import { waitFor } from '../../scripts/stack/wait.ts';
import { fireFixture, rest, useE2ESite } from '../helpers/rest.ts';

const site = useE2ESite({ label: 'e2e_log', sidecarOptions: { retrySchedule: [0.2] } });

const customValue = 'k-9f8e7d6c5b4a';
let hook: { id: number; secret: string };
const base = () => `/admin/webhooks/${hook.id}/deliveries`;

/** Every delivery of the webhook, settled (none pending or in flight). */
async function settledLog(): Promise<s.Delivery[]> {
  return waitFor(
    'a settled delivery log',
    async () => {
      const res = await rest(site(), 'GET', `${base()}?per_page=100`);
      const rows = s.listDeliveriesResponse.parse(res.body).deliveries;
      return rows.every((d) => d.status === 'delivered' || d.status === 'failed') ? rows : undefined;
    },
    { timeoutMs: 15_000, intervalMs: 200 },
  );
}

beforeAll(async () => {
  const { receiver } = site();
  // Even ids fail (500), odd ids succeed; retry_count 0: one attempt each.
  receiver.setResponder((r) => (Number(JSON.parse(r.body).data?.id) % 2 === 0 ? { status: 500 } : {}));
  const created = await rest(site(), 'POST', '/admin/webhooks', {
    body: {
      name: 'log',
      url: `${receiver.url}/log`,
      events: ['space.deleted', 'feed.deleted'],
      retry_count: 0,
      headers: { 'X-Api-Key': customValue },
    },
  });
  expect(created.status).toBe(201);
  hook = created.body;
  for (let id = 1; id <= 5; id++) await fireFixture(site(), 'space.deleted', { overrides: { 0: id } });
  for (let id = 11; id <= 13; id++)
    await fireFixture(site(), 'feed.deleted', { overrides: { 0: String(id) } });
  await receiver.waitForRequests(8, { timeoutMs: 15_000 });
  await settledLog();
});

describe('the delivery log', () => {
  it('lists deliveries newest first, paginated, with X-WP-Total and X-WP-TotalPages', async () => {
    const pages = [];
    for (let page = 1; page <= 3; page++) {
      const res = await rest(site(), 'GET', `${base()}?per_page=3&page=${page}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-wp-total')).toBe('8');
      expect(res.headers.get('x-wp-totalpages')).toBe('3');
      pages.push(s.listDeliveriesResponse.parse(res.body).deliveries);
    }
    expect(pages.map((p) => p.length)).toEqual([3, 3, 2]);
    const ids = pages.flat().map((d) => d.id);
    expect(new Set(ids).size).toBe(8);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(pages[0]![0]).toMatchObject({ webhook_id: hook.id, event: 'feed.deleted' });
    expect(pages[0]![0]!.message_id).toMatch(/^msg_[0-9a-z]{26}$/);
  });

  it('filters by status, by event, and by both', async () => {
    const count = async (query: string) => {
      const res = await rest(site(), 'GET', `${base()}?${query}`);
      expect(res.status).toBe(200);
      const rows = s.listDeliveriesResponse.parse(res.body).deliveries;
      expect(res.headers.get('x-wp-total')).toBe(String(rows.length));
      return rows;
    };
    // Failed: space 2, 4 and feed 12; delivered: space 1, 3, 5 and feed 11, 13.
    expect((await count('status=failed')).every((d) => d.status === 'failed')).toBe(true);
    expect(await count('status=failed')).toHaveLength(3);
    expect(await count('status=delivered')).toHaveLength(5);
    expect(await count('event=feed.deleted')).toHaveLength(3);
    expect(await count('event=space.deleted&status=failed')).toHaveLength(2);
    expect(await count('status=pending')).toHaveLength(0);
    const bad = await rest(site(), 'GET', `${base()}?status=lost`);
    expect(bad).toMatchObject({ status: 400, body: { data: { status: 400 } } });
  });

  it('shows one delivery with its payload and every attempt, request headers without secrets', async () => {
    const [failed] = (await rest(site(), 'GET', `${base()}?status=failed&event=feed.deleted`)).body
      .deliveries;
    const res = await rest(site(), 'GET', `${base()}/${failed.id}`);
    expect(res.status).toBe(200);
    const detail = s.deliveryDetailResponse.parse(res.body);
    expect(detail).toMatchObject({
      id: failed.id,
      status: 'failed',
      attempt_count: 1,
      last_status_code: 500,
      last_error: 'HTTP 500.',
      payload: { event: 'feed.deleted', data: { id: 12 } },
    });
    expect(detail.attempts).toHaveLength(1);
    const [attempt] = detail.attempts;
    expect(attempt).toMatchObject({ attempt: 1, status_code: 500, error: 'HTTP 500.' });
    expect(attempt!.request_headers).toMatchObject({
      'webhook-id': detail.message_id,
      'x-fluent-event': 'feed.deleted',
      'x-fluent-signature': '[redacted]',
      'webhook-signature': '[redacted]',
      'x-api-key': '[redacted]',
    });
    const raw = JSON.stringify(res.body);
    expect(raw).not.toContain(customValue);
    expect(raw).not.toContain(hook.secret.slice('whsec_'.length, 'whsec_'.length + 16));
  });

  it('redelivers a delivery with the same webhook-id as a new attempt', async () => {
    const { receiver } = site();
    const [delivered] = (await rest(site(), 'GET', `${base()}?status=delivered&event=space.deleted`)).body
      .deliveries;
    const before = receiver.requests.length;
    const res = await rest(site(), 'POST', `${base()}/${delivered.id}/redeliver`);
    expect(res.status).toBe(200);
    expect(s.redeliverResponse.parse(res.body)).toMatchObject({
      id: delivered.id,
      message: 'Delivery queued for redelivery.',
    });
    const again = await receiver.waitForRequests(before + 1, { timeoutMs: 10_000 });
    expect(again.at(-1)!.headers['webhook-id']).toBe(delivered.message_id);
    const detail = await waitFor(
      'the second attempt',
      async () => {
        const body = (await rest(site(), 'GET', `${base()}/${delivered.id}`)).body;
        return body.attempts.length === 2 ? body : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 200 },
    );
    expect(detail.status).toBe('delivered');
    expect(detail.attempts.map((a: s.Attempt) => a.status_code)).toEqual([200, 200]);
    expect(new Set(detail.attempts.map((a: s.Attempt) => a.request_headers['webhook-id']))).toEqual(
      new Set([delivered.message_id]),
    );
  });

  it('replays the failed deliveries created since a time (none when the time is later than all)', async () => {
    const { receiver } = site();
    receiver.setResponder(undefined);
    const failed = (await rest(site(), 'GET', `${base()}?status=failed`)).body.deliveries as s.Delivery[];
    const earliest = failed.map((d) => d.created_at).sort()[0]!;
    const future = await rest(site(), 'POST', `/admin/webhooks/${hook.id}/replay`, {
      body: { since: '2099-01-01 00:00:00' },
    });
    expect(future.body).toMatchObject({ requeued: 0 });

    const before = receiver.requests.length;
    const res = await rest(site(), 'POST', `/admin/webhooks/${hook.id}/replay`, {
      body: { since: earliest.slice(0, 19) },
    });
    expect(res.status).toBe(200);
    expect(s.replayResponse.parse(res.body)).toEqual({
      requeued: 3,
      message: 'Failed deliveries queued for redelivery.',
    });
    const resent = (await receiver.waitForRequests(before + 3, { timeoutMs: 10_000 })).slice(before);
    expect(new Set(resent.map((r) => r.headers['webhook-id']))).toEqual(
      new Set(failed.map((d) => d.message_id)),
    );
    const log = await settledLog();
    expect(log.every((d) => d.status === 'delivered')).toBe(true);
  });
});

describe('who may read it', () => {
  it('answers 403 to a logged-in non-administrator and 401 to anonymous callers, on every log route', async () => {
    const routes = [
      ['GET', base()],
      ['GET', `${base()}/1`],
      ['POST', `${base()}/1/redeliver`],
      ['POST', `/admin/webhooks/${hook.id}/replay`],
    ] as const;
    for (const [method, route] of routes) {
      for (const [as, status] of [
        ['member', 403],
        ['editor', 403],
        ['anonymous', 401],
      ] as const) {
        const res = await rest(site(), method, route, {
          as,
          ...(method === 'POST' ? { body: { since: '2000-01-01' } } : {}),
        });
        expect(res.status, `${as} ${method} ${route}`).toBe(status);
        expect(res.body).toMatchObject({ code: 'rest_forbidden' });
      }
    }
  });
});

import { createHmac, timingSafeEqual } from 'node:crypto';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { beforeEach, describe, expect, it } from 'vitest';
import { useSidecarHarness } from '../helpers/sidecar-app.ts';

const h = useSidecarHarness({ env: { FCWH_RETRY_SCHEDULE: '0.05,0.1,0.1' } });

/** The spec's own verifyWebhookSignature snippet, verbatim. */
function verifyWebhookSignature(payload: string, signature: string, secret: string) {
  const hmac = createHmac('sha256', secret);
  const digest = 'sha256=' + hmac.update(payload).digest('hex');
  return timingSafeEqual(Buffer.from(signature), Buffer.from(digest));
}

const call = (hook: string, args: unknown[], actor = 0) => ({
  hook,
  args,
  actor_id: actor,
  occurred_at: new Date().toISOString().replace('T', ' ').replace('Z', ''),
});

async function createHook(events: string[], extra: Record<string, unknown> = {}) {
  const { status, body } = await h().json('POST', '/admin/webhooks', {
    name: 'receiver',
    url: `${h().receiver.url}/hook`,
    events,
    ...extra,
  });
  expect(status).toBe(201);
  return body as { id: number; secret: string };
}

async function fire(hook: string, args: unknown[]) {
  const res = await h().json('POST', '/events', { events: [call(hook, args)] });
  expect(res.status).toBe(202);
  return res.body;
}

async function waitForDelivery(webhookId: number, status: string, timeoutMs = 5000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await h().json('GET', `/admin/webhooks/${webhookId}/deliveries?status=${status}`);
    if (body.deliveries.length > 0) return body.deliveries[0];
    if (Date.now() > until) throw new Error(`no ${status} delivery for webhook ${webhookId}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeEach(async () => {
  h().receiver.clear();
  await h().deps.db.query(`UPDATE wp_fcwh_webhooks SET status = 'inactive'`);
});

describe('delivery', () => {
  it('sends a stored event as a signed POST that the spec snippet, standardwebhooks and svix all verify', async () => {
    const hook = await createHook(['feed.deleted']);
    await fire('fluent_community/feed/deleted', ['9']);
    const [req] = await h().receiver.waitForRequests(1);
    expect(req!.method).toBe('POST');
    expect(req!.headers['content-type']).toBe('application/json');
    expect(req!.headers['user-agent']).toMatch(/^FluentCommunityWebhooks\/\d+\.\d+\.\d+$/);
    expect(req!.headers['x-fluent-event']).toBe('feed.deleted');
    const payload = JSON.parse(req!.body);
    expect(payload).toEqual({
      event: 'feed.deleted',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      data: { id: 9 },
      xprofile: null,
    });
    // Compact JSON that round-trips: what the spec's receiver re-serialises is what was signed.
    expect(JSON.stringify(payload)).toBe(req!.body);
    expect(
      verifyWebhookSignature(JSON.stringify(payload), req!.headers['x-fluent-signature']!, hook.secret),
    ).toBe(true);
    expect(new StandardWebhook(hook.secret).verify(req!.body, req!.headers)).toEqual(payload);
    expect(new SvixWebhook(hook.secret).verify(req!.body, req!.headers as Record<string, string>)).toEqual(
      payload,
    );
    expect(req!.headers['webhook-id']).toMatch(/^msg_[0-9a-z]{26}$/);
  });

  it('rejects a tampered body in every verifier', async () => {
    const hook = await createHook(['feed.deleted']);
    await fire('fluent_community/feed/deleted', ['10']);
    const [req] = await h().receiver.waitForRequests(1);
    const tampered = req!.body.replace('"id":10', '"id":11');
    expect(verifyWebhookSignature(tampered, req!.headers['x-fluent-signature']!, hook.secret)).toBe(false);
    expect(() => new StandardWebhook(hook.secret).verify(tampered, req!.headers)).toThrow();
  });

  it('fans one event out to every active subscribed webhook and skips inactive and unsubscribed ones', async () => {
    const a = await createHook(['space.deleted']);
    const b = await createHook(['*']);
    const inactive = await createHook(['space.deleted'], { status: 'inactive' });
    const other = await createHook(['feed.created']);
    await fire('fluent_community/space/deleted', [8]);
    const got = await h().receiver.waitForRequests(2);
    // Quiet for longer than the harness's 200 ms poll: a third request, however late, is seen.
    expect(await h().receiver.waitForQuiet(600)).toHaveLength(2);
    expect(new Set(got.map((r) => r.headers['x-fluent-webhook-id']))).toEqual(
      new Set([String(a.id), String(b.id)]),
    );
    expect(got[0]!.headers['webhook-id']).toBe(got[1]!.headers['webhook-id']);
    for (const id of [inactive.id, other.id]) {
      expect((await h().json('GET', `/admin/webhooks/${id}/deliveries`)).body.deliveries).toEqual([]);
    }
  });

  it('retries a 500 with backoff until a 2xx, keeping the webhook-id, and records every attempt', async () => {
    const hook = await createHook(['feed.deleted']);
    h().receiver.respondWith({ status: 500, body: 'boom' }, { status: 503 });
    await fire('fluent_community/feed/deleted', ['11']);
    const reqs = await h().receiver.waitForRequests(3);
    expect(new Set(reqs.map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect(new Set(reqs.map((r) => r.headers['webhook-timestamp'])).size).toBeGreaterThanOrEqual(1);
    const delivered = await waitForDelivery(hook.id, 'delivered');
    expect(delivered).toMatchObject({
      attempt_count: 3,
      last_status_code: 200,
      last_error: null,
      event: 'feed.deleted',
    });
    const detail = (await h().json('GET', `/admin/webhooks/${hook.id}/deliveries/${delivered.id}`)).body;
    expect(detail.attempts.map((a: { status_code: number }) => a.status_code)).toEqual([500, 503, 200]);
    expect(detail.attempts[0]).toMatchObject({ error: 'HTTP 500.', response_excerpt: 'boom' });
    expect(detail.attempts[0].request_headers['x-fluent-signature']).toBe('[redacted]');
    expect(detail.payload).toMatchObject({ event: 'feed.deleted', data: { id: 11 } });
    const webhook = (await h().json('GET', `/admin/webhooks/${hook.id}`)).body;
    expect(webhook.last_triggered_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(webhook.last_error).toBeNull();
    // The list shows the latest attempt's status beside it, without reading attempts.
    expect(webhook.last_status_code).toBe(200);
  });

  it('gives up after retry_count retries, marks the delivery failed and keeps the last error on the webhook', async () => {
    const hook = await createHook(['feed.deleted'], { retry_count: 2 });
    h().receiver.setResponder(() => ({ status: 502 }));
    await fire('fluent_community/feed/deleted', ['12']);
    const failed = await waitForDelivery(hook.id, 'failed');
    expect(failed).toMatchObject({ attempt_count: 3, last_status_code: 502, last_error: 'HTTP 502.' });
    expect(h().receiver.requests).toHaveLength(3);
    const webhook = (await h().json('GET', `/admin/webhooks/${hook.id}`)).body;
    expect(webhook).toMatchObject({
      status: 'active',
      last_error: 'HTTP 502.',
      last_status_code: 502,
      last_triggered_at: null,
    });
  });

  it('disables the webhook when the receiver answers 410 Gone, without retrying', async () => {
    const hook = await createHook(['feed.deleted']);
    h().receiver.setResponder(() => ({ status: 410 }));
    await fire('fluent_community/feed/deleted', ['13']);
    const failed = await waitForDelivery(hook.id, 'failed');
    expect(failed.attempt_count).toBe(1);
    const webhook = (await h().json('GET', `/admin/webhooks/${hook.id}`)).body;
    expect(webhook.status).toBe('inactive');
    expect(webhook.last_error).toMatch(/410/);
  });

  it('counts a redirect as a failure and never follows it', async () => {
    const hook = await createHook(['feed.deleted'], { retry_count: 0 });
    h().receiver.setResponder((req) =>
      req.path === '/hook' ? { status: 302, headers: { location: `${h().receiver.url}/elsewhere` } } : {},
    );
    await fire('fluent_community/feed/deleted', ['14']);
    const failed = await waitForDelivery(hook.id, 'failed');
    expect(failed).toMatchObject({ last_status_code: 302, last_error: 'HTTP 302 redirect (not followed).' });
    expect(h().receiver.requests.map((r) => r.path)).toEqual(['/hook']);
  });

  it('waits at least Retry-After seconds before retrying a 429', async () => {
    const hook = await createHook(['feed.deleted']);
    h().receiver.respondWith({ status: 429, headers: { 'retry-after': '1' } });
    await fire('fluent_community/feed/deleted', ['15']);
    const [first, second] = await h().receiver.waitForRequests(2, { timeoutMs: 5000 });
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(950);
    expect((await waitForDelivery(hook.id, 'delivered')).attempt_count).toBe(2);
  });

  it('redelivers a delivered event with the same webhook-id, and replays failed ones since a time', async () => {
    const hook = await createHook(['feed.deleted'], { retry_count: 0 });
    await fire('fluent_community/feed/deleted', ['16']);
    const delivered = await waitForDelivery(hook.id, 'delivered');
    const res = await h().json('POST', `/admin/webhooks/${hook.id}/deliveries/${delivered.id}/redeliver`);
    expect(res).toMatchObject({
      status: 200,
      body: { id: delivered.id, message: 'Delivery queued for redelivery.' },
    });
    const [one, two] = await h().receiver.waitForRequests(2);
    expect(two!.headers['webhook-id']).toBe(one!.headers['webhook-id']);

    h().receiver.clear();
    h().receiver.setResponder(() => ({ status: 500 }));
    await fire('fluent_community/feed/deleted', ['17']);
    await waitForDelivery(hook.id, 'failed');
    h().receiver.setResponder(undefined);
    const replay = await h().json('POST', `/admin/webhooks/${hook.id}/replay`, { since: '2000-01-01' });
    expect(replay.body).toEqual({ requeued: 1, message: 'Failed deliveries queued for redelivery.' });
    const again = await h().receiver.waitForRequests(2);
    expect(JSON.parse(again[1]!.body).data).toEqual({ id: 17 });
  });

  it('answers delivery_not_found and not_found for unknown ids', async () => {
    const hook = await createHook(['feed.deleted']);
    expect((await h().json('GET', `/admin/webhooks/${hook.id}/deliveries/999999`)).body.code).toBe(
      'delivery_not_found',
    );
    expect((await h().json('GET', `/admin/webhooks/999999/deliveries`)).body.code).toBe('not_found');
    expect((await h().json('POST', `/admin/webhooks/${hook.id}/replay`, { since: 'yesterday' })).status).toBe(
      400,
    );
  });

  it('delivers calls the plugin left in the inbox table once woken', async () => {
    await createHook(['space.deleted']);
    await h().deps.db.query(
      `INSERT INTO wp_fcwh_inbox (hook, args, actor_id, request_id, occurred_at) VALUES (?, ?, 0, 'r1', UTC_TIMESTAMP(6))`,
      ['fluent_community/space/deleted', '[21]'],
    );
    const wake = await h().call('POST', '/events/wake');
    expect(wake.status).toBe(204);
    const [req] = await h().receiver.waitForRequests(1, { timeoutMs: 3000 });
    expect(JSON.parse(req!.body).data).toEqual({ id: 21 });
    const [rows] = await h().deps.db.query('SELECT COUNT(*) AS n FROM wp_fcwh_inbox');
    expect((rows as { n: number }[])[0]!.n).toBe(0);
  });
});

/** The spec's management API, end to end: WordPress REST with application passwords → plugin → sidecar → MariaDB. */
import { describe, expect, it } from 'vitest';
import * as s from '../../shared/schemas.ts';
import { ownNamespace, rest, useE2ESite } from '../helpers/rest.ts';

const site = useE2ESite({ label: 'e2e_api' });

// The spec's example bodies, with the receiver URL substituted where the hook must really answer.
const slackExample = {
  name: 'Slack Notifications',
  url: 'https://hooks.slack.com/services/YOUR/WEBHOOK/URL',
  events: ['feed.created', 'comment.created', 'space.member_joined'],
  status: 'active',
  retry_count: 3,
};

describe("the spec's curl examples through WordPress", () => {
  it('POST /admin/webhooks creates a webhook and answers the spec body with the full secret', async () => {
    const res = await rest(site(), 'POST', '/admin/webhooks', { body: slackExample });
    expect(res.status).toBe(201);
    const body = s.createWebhookResponse.parse(res.body);
    expect(body).toMatchObject({ ...slackExample, message: 'Webhook created successfully.' });
    expect(body.secret).toMatch(/^whsec_/);
    expect(body.secret).not.toMatch(/\.\.\.$/);
  });

  it('GET /admin/webhooks lists {"webhooks": [...]} with masked secrets and URLs and X-WP-Total headers', async () => {
    const res = await rest(site(), 'GET', '/admin/webhooks');
    expect(res.status).toBe(200);
    const { webhooks } = s.listWebhooksResponse.parse(res.body);
    expect(webhooks.length).toBeGreaterThan(0);
    // A chat webhook's path is its credential: lists show scheme and host only (GET of one shows it whole).
    expect(webhooks[0]).toMatchObject({
      ...slackExample,
      url: 'https://hooks.slack.com/...',
      last_error: null,
      last_triggered_at: null,
    });
    expect(webhooks[0]!.secret).toMatch(/^whsec_.{6}\.\.\.$/);
    expect(res.headers.get('x-wp-total')).toBe(String(webhooks.length));
    expect(res.headers.get('x-wp-totalpages')).toBe('1');
  });

  it('PUT /admin/webhooks/{id} updates events and status and answers the spec message', async () => {
    const created = (await rest(site(), 'POST', '/admin/webhooks', { body: slackExample })).body;
    const res = await rest(site(), 'PUT', `/admin/webhooks/${created.id}`, {
      body: { events: ['feed.created', 'comment.created', 'space.created'], status: 'active' },
    });
    expect(res.status).toBe(200);
    expect(s.updateWebhookResponse.parse(res.body)).toMatchObject({
      id: created.id,
      name: 'Slack Notifications',
      events: ['feed.created', 'comment.created', 'space.created'],
      status: 'active',
      message: 'Webhook updated successfully.',
    });
  });

  it('DELETE /admin/webhooks/{id} deletes it; a second DELETE is 404 not_found', async () => {
    const created = (await rest(site(), 'POST', '/admin/webhooks', { body: slackExample })).body;
    expect(await rest(site(), 'DELETE', `/admin/webhooks/${created.id}`)).toMatchObject({
      status: 200,
      body: { message: 'Webhook deleted successfully.' },
    });
    expect(await rest(site(), 'DELETE', `/admin/webhooks/${created.id}`)).toMatchObject({
      status: 404,
      body: { code: 'not_found', message: 'Webhook not found.', data: { status: 404 } },
    });
  });

  it('POST /admin/webhooks/{id}/test sends a signed test payload and reports success', async () => {
    const { receiver } = site();
    const created = (
      await rest(site(), 'POST', '/admin/webhooks', {
        body: { ...slackExample, url: `${receiver.url}/spec-test` },
      })
    ).body;
    receiver.clear();
    const res = await rest(site(), 'POST', `/admin/webhooks/${created.id}/test`);
    expect(res.status).toBe(200);
    expect(s.testWebhookResponse.parse(res.body)).toMatchObject({
      success: true,
      status_code: 200,
      message: 'Webhook test successful.',
    });
    const [req] = await receiver.waitForRequests(1);
    expect(JSON.parse(req!.body)).toMatchObject({ event: 'webhook.test', data: { webhook_id: created.id } });
    expect(req!.headers['x-fluent-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
  });

  it('reports success:false with a clear message when the receiver fails', async () => {
    const { receiver } = site();
    const created = (
      await rest(site(), 'POST', '/admin/webhooks', {
        body: { ...slackExample, url: `${receiver.url}/down` },
      })
    ).body;
    receiver.respondWith({ status: 500 });
    const res = await rest(site(), 'POST', `/admin/webhooks/${created.id}/test`);
    expect(res.body).toMatchObject({
      success: false,
      status_code: 500,
      message: 'Webhook test failed: HTTP 500.',
    });
  });

  it('GET /admin/webhooks/{id} returns one webhook; GET /admin/webhooks/events lists the catalogue', async () => {
    const created = (await rest(site(), 'POST', '/admin/webhooks', { body: slackExample })).body;
    expect((await rest(site(), 'GET', `/admin/webhooks/${created.id}`)).body).toMatchObject({
      id: created.id,
      name: slackExample.name,
    });
    const catalogue = await rest(site(), 'GET', '/admin/webhooks/events');
    expect(catalogue.status).toBe(200);
    expect(catalogue.body.events).toHaveLength(24);
    expect(catalogue.body.events[0]).toMatchObject({
      name: 'feed.created',
      description: 'New feed post created',
    });
  });
});

describe('errors through WordPress keep the {code, message, data:{status}} shape', () => {
  const cases: [string, unknown, number, string][] = [
    ['http URL', { ...slackExample, url: 'http://example.com/hook' }, 400, 'invalid_url'],
    ['unknown event', { ...slackExample, events: ['feed.exploded'] }, 400, 'invalid_events'],
    ['empty events', { ...slackExample, events: [] }, 400, 'invalid_events'],
    ['bad status', { ...slackExample, status: 'paused' }, 400, 'invalid_status'],
    ['retry_count 11', { ...slackExample, retry_count: 11 }, 400, 'invalid_retry_count'],
    ['retry_count -1', { ...slackExample, retry_count: -1 }, 400, 'invalid_retry_count'],
    ['headers as a list', { ...slackExample, headers: ['X-A: 1'] }, 400, 'invalid_headers'],
    ['header with a number value', { ...slackExample, headers: { 'X-A': 1 } }, 400, 'invalid_headers'],
    ['missing name', { ...slackExample, name: undefined }, 400, 'invalid_name'],
    ['loopback URL', { ...slackExample, url: 'https://127.0.0.1/hook' }, 400, 'url_not_allowed'],
  ];
  it.each(cases)('%s → %i %s', async (_label, body, status, code) => {
    const res = await rest(site(), 'POST', '/admin/webhooks', { body });
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ code, data: { status } });
    expect(typeof res.body.message).toBe('string');
  });

  it('answers the spec message for an http URL', async () => {
    const res = await rest(site(), 'POST', '/admin/webhooks', {
      body: { ...slackExample, url: 'http://a.example/x' },
    });
    expect(res.body.message).toBe('Webhook URL must use HTTPS protocol.');
  });

  it('answers malformed JSON with a 400, not a 500', async () => {
    const res = await rest(site(), 'POST', '/admin/webhooks', { body: '{"name": ' });
    expect(res.status).toBe(400);
    expect(res.body.data.status).toBe(400);
  });

  it('answers 404 not_found for an unknown id on every id route', async () => {
    for (const [method, route] of [
      ['GET', '/admin/webhooks/987654'],
      ['PUT', '/admin/webhooks/987654'],
      ['DELETE', '/admin/webhooks/987654'],
      ['POST', '/admin/webhooks/987654/test'],
    ] as const) {
      const res = await rest(site(), method, route, method === 'PUT' ? { body: { name: 'x' } } : {});
      expect(res, `${method} ${route}`).toMatchObject({
        status: 404,
        body: { code: 'not_found', data: { status: 404 } },
      });
    }
  });
});

describe('webhook URLs are stored and shown as they are requested', () => {
  const refused: [string, string][] = [
    ['a header injected after CR LF', 'https://a.example.com/h\r\nX-Injected: 1'],
    ['a line feed', 'https://a.example.com/h\nx'],
    ['a tab', 'https://a.example.com/h\tx'],
    ['a space inside', 'https://a.example.com/a b'],
    ['a leading space', ' https://a.example.com/h'],
    ['a trailing space', 'https://a.example.com/h '],
    ['a NUL byte', 'https://a.example.com/h\u0000'],
    ['DEL', 'https://a.example.com/h\u007f'],
    ['a no-break space', 'https://a.example.com/h\u00a0'],
    ['a line separator', 'https://a.example.com/h\u2028'],
  ];

  it.each(refused)('refuses a URL with %s: 400 invalid_url on create and update', async (_label, url) => {
    const created = await rest(site(), 'POST', '/admin/webhooks', { body: { ...slackExample, url } });
    expect(created.status).toBe(400);
    expect(created.body).toMatchObject({
      code: 'invalid_url',
      message: 'Webhook URL must not contain spaces or control characters.',
      data: { status: 400 },
    });
    const own = (await rest(site(), 'POST', '/admin/webhooks', { body: slackExample })).body;
    const updated = await rest(site(), 'PUT', `/admin/webhooks/${own.id}`, { body: { url } });
    expect(updated).toMatchObject({ status: 400, body: { code: 'invalid_url' } });
    expect((await rest(site(), 'GET', `/admin/webhooks/${own.id}`)).body.url).toBe(slackExample.url);
  });

  it('stores the URL the deliveries go to, not another spelling of it', async () => {
    const { receiver } = site();
    const typed = `${receiver.url.replace('https://', 'HTTPS://')}/a/./b/../normalised?q=1`;
    const created = await rest(site(), 'POST', '/admin/webhooks', {
      body: { name: 'spelling', url: typed, events: ['feed.created'] },
    });
    expect(created.status).toBe(201);
    const stored = `${receiver.url}/a/normalised?q=1`;
    expect(created.body.url).toBe(stored);
    expect((await rest(site(), 'GET', `/admin/webhooks/${created.body.id}`)).body.url).toBe(stored);
    receiver.clear();
    expect((await rest(site(), 'POST', `/admin/webhooks/${created.body.id}/test`)).body.success).toBe(true);
    expect(receiver.requests.map((r) => `${receiver.url}${r.path}`)).toEqual([stored]);
  });
});

describe("the plugin's own namespace", () => {
  it('serves the same API under fluent-community-webhooks/v1', async () => {
    const created = await rest(site(), 'POST', '/admin/webhooks', { ns: ownNamespace, body: slackExample });
    expect(created.status).toBe(201);
    const got = await rest(site(), 'GET', `/admin/webhooks/${created.body.id}`);
    expect(got.body.name).toBe(slackExample.name);
  });
});

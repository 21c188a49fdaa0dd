import { describe, expect, it } from 'vitest';
import * as s from '../../shared/schemas.ts';
import { useSidecarHarness } from '../helpers/sidecar-app.ts';
import { openWebhook, type SealedRow } from '../../sidecar/src/sealed-webhook.ts';

const h = useSidecarHarness({ worker: false });
const slack = {
  name: 'Slack Notifications',
  url: 'https://hooks.slack.com/services/YOUR/WEBHOOK/URL',
  events: ['feed.created', 'comment.created', 'space.member_joined'],
  status: 'active',
  retry_count: 3,
};

describe('webhook management API (in-process sidecar)', () => {
  it('creates a webhook with the spec defaults, answers 201 and reveals the generated secret once', async () => {
    const { status, body } = await h().json('POST', '/admin/webhooks', {
      name: 'Defaults',
      url: 'https://example.com/hook',
      events: ['feed.created'],
    });
    expect(status).toBe(201);
    expect(s.createWebhookResponse.parse(body)).toMatchObject({
      name: 'Defaults',
      status: 'active',
      retry_count: 3,
      headers: {},
      last_triggered_at: null,
      last_error: null,
      message: 'Webhook created successfully.',
    });
    expect(body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(body.secret.slice(6), 'base64').length).toBeGreaterThanOrEqual(24);
    expect(body.created_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    const got = await h().json('GET', `/admin/webhooks/${body.id}`);
    expect(got.body.secret).toBe(`${body.secret.slice(0, 12)}...`);
  });

  it("keeps the spec's example fields and a caller-chosen secret", async () => {
    const { body } = await h().json('POST', '/admin/webhooks', {
      ...slack,
      secret: 'my-own-secret-value-123',
      headers: { 'X-API-Key': 'k1' },
    });
    expect(body).toMatchObject({
      ...slack,
      headers: { 'X-API-Key': 'k1' },
      secret: 'my-own-secret-value-123',
    });
    expect(Number.isInteger(body.id)).toBe(true);
  });

  it('lists webhooks in a {webhooks: [...]} envelope with X-WP-Total headers, masked secrets and filters', async () => {
    for (let i = 0; i < 3; i++)
      await h().json('POST', '/admin/webhooks', {
        name: `Paged ${i}`,
        url: `https://example.com/p${i}`,
        events: ['user.registered'],
        status: i === 0 ? 'inactive' : 'active',
      });
    const page = await h().json('GET', '/admin/webhooks?per_page=2&page=1&search=Paged');
    expect(s.listWebhooksResponse.parse(page.body).webhooks).toHaveLength(2);
    expect(page.headers.get('x-wp-total')).toBe('3');
    expect(page.headers.get('x-wp-totalpages')).toBe('2');
    for (const w of page.body.webhooks) expect(w.secret).toMatch(/\.\.\.$/);
    const inactive = await h().json('GET', '/admin/webhooks?search=Paged&status=inactive');
    expect(inactive.body.webhooks.map((w: { name: string }) => w.name)).toEqual(['Paged 0']);
    const byEvent = await h().json('GET', '/admin/webhooks?event=user.registered');
    expect(byEvent.body.webhooks).toHaveLength(3);
    const none = await h().json('GET', '/admin/webhooks?event=lesson.completed');
    expect(none.body.webhooks).toEqual([]);
  });

  it('treats search wildcards literally', async () => {
    const { body } = await h().json('GET', '/admin/webhooks?search=%25');
    expect(body.webhooks).toEqual([]);
  });

  it('updates only the given fields and answers the spec message', async () => {
    const created = (await h().json('POST', '/admin/webhooks', slack)).body;
    const { status, body } = await h().json('PUT', `/admin/webhooks/${created.id}`, {
      events: ['feed.created', 'comment.created', 'space.created'],
      status: 'active',
    });
    expect(status).toBe(200);
    expect(s.updateWebhookResponse.parse(body)).toMatchObject({
      id: created.id,
      name: 'Slack Notifications',
      url: slack.url,
      events: ['feed.created', 'comment.created', 'space.created'],
      message: 'Webhook updated successfully.',
    });
    expect(body.secret).toBe(`${created.secret.slice(0, 12)}...`);
  });

  it('ignores a masked secret sent back with an update, so the real one survives', async () => {
    const created = (await h().json('POST', '/admin/webhooks', slack)).body;
    const got = (await h().json('GET', `/admin/webhooks/${created.id}`)).body;
    await h().json('PUT', `/admin/webhooks/${created.id}`, got);
    const [row] = (
      await h().deps.db.query(`SELECT * FROM wp_fcwh_webhooks WHERE id = ?`, [created.id])
    )[0] as SealedRow[];
    expect(openWebhook(row!, h().deps.cipher).secret).toBe(created.secret);
  });

  it('deletes a webhook and then answers 404 not_found for it', async () => {
    const created = (await h().json('POST', '/admin/webhooks', slack)).body;
    const del = await h().json('DELETE', `/admin/webhooks/${created.id}`);
    expect(del).toMatchObject({ status: 200, body: { message: 'Webhook deleted successfully.' } });
    const again = await h().json('GET', `/admin/webhooks/${created.id}`);
    expect(again).toMatchObject({
      status: 404,
      body: { code: 'not_found', message: 'Webhook not found.', data: { status: 404 } },
    });
    expect((await h().json('DELETE', `/admin/webhooks/${created.id}`)).status).toBe(404);
  });

  it('accepts the wildcard subscription "*"', async () => {
    const { status, body } = await h().json('POST', '/admin/webhooks', { ...slack, events: ['*'] });
    expect(status).toBe(201);
    expect(body.events).toEqual(['*']);
  });

  it('keeps unicode and SQL meta characters verbatim', async () => {
    const name = `Café ☕ '; DROP TABLE wp_fcwh_webhooks; -- "x" \\ 😀`;
    const { body } = await h().json('POST', '/admin/webhooks', { ...slack, name });
    expect((await h().json('GET', `/admin/webhooks/${body.id}`)).body.name).toBe(name);
  });
});

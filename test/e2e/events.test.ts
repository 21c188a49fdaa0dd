/** Every Fluent Community event: the action fires inside WordPress → the subscribed receiver gets it, signed. */
import { readdirSync } from 'node:fs';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventNames, type EventName } from '../../shared/events.ts';
import { eventPayloadSchema } from '../../shared/payloads.ts';
import { fireFixture, fixturesDir, rest, useE2ESite } from '../helpers/rest.ts';

const site = useE2ESite({ label: 'e2e_events' });
let secret = '';

function verifySpecSnippet(payload: string, signature: string, key: string) {
  const digest = 'sha256=' + createHmac('sha256', key).update(payload).digest('hex');
  return timingSafeEqual(Buffer.from(signature), Buffer.from(digest));
}

beforeAll(async () => {
  const res = await rest(site(), 'POST', '/admin/webhooks', {
    body: { name: 'everything', url: `${site().receiver.url}/all`, events: ['*'] },
  });
  expect(res.status).toBe(201);
  secret = res.body.secret;
});

const fixtures = [
  ...readdirSync(fixturesDir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5)),
  ...readdirSync(`${fixturesDir}/variants`).map((f) => `variants/${f.slice(0, -5)}`),
];

/** The event a fixture stands for: its file name, or for a variant the part before the object type. */
const eventOf = (fixture: string) =>
  fixture.replace(/^variants\//, '').replace(/\.comment$/, '') as EventName;

describe('every event, from the hook in WordPress to the receiver', () => {
  it('has a fixture for each of the 24 events', () => {
    expect(new Set(fixtures.map(eventOf))).toEqual(new Set(eventNames));
  });

  it.each(fixtures)('%s', async (fixture) => {
    const event = eventOf(fixture);
    const { receiver } = site();
    receiver.clear();
    await fireFixture(site(), fixture);
    const [req] = await receiver.waitForRequests(1, { timeoutMs: 10_000 });
    expect(req!.headers['x-fluent-event']).toBe(event);
    const payload = JSON.parse(req!.body);
    expect(eventPayloadSchema(event).parse(payload).event).toBe(event);
    expect(JSON.stringify(payload)).toBe(req!.body);
    expect(verifySpecSnippet(JSON.stringify(payload), req!.headers['x-fluent-signature']!, secret)).toBe(
      true,
    );
    expect(new StandardWebhook(secret).verify(req!.body, req!.headers)).toEqual(payload);
    expect(new SvixWebhook(secret).verify(req!.body, req!.headers as Record<string, string>)).toEqual(
      payload,
    );
    // The admin fired it: xprofile is the acting user's (derived from the WordPress user: no Fluent Community table).
    expect(payload.xprofile).toMatchObject({ user_id: site().wp.users.admin.id });
    expect(req!.body).not.toMatch(/REDACTED|user_pass/);
    // Exactly one delivery per action call: companions and second hooks never send it twice.
    await new Promise((r) => setTimeout(r, 150));
    expect(receiver.requests).toHaveLength(1);
  });

  it('turns a real WordPress registration and profile edit into user.registered and user.profile_updated', async () => {
    const { receiver } = site();
    receiver.clear();
    const created = await rest(site(), 'POST', '/users', {
      ns: 'wp/v2',
      body: { username: 'dora', email: 'dora@example.com', password: 'a-Long-pass-123', first_name: 'Dora' },
    });
    expect(created.status).toBe(201);
    const [registered] = await receiver.waitForRequests(1);
    const reg = JSON.parse(registered!.body);
    expect(reg).toMatchObject({
      event: 'user.registered',
      data: { id: created.body.id, username: 'dora', email: 'dora@example.com' },
    });
    expect(registered!.body).not.toContain('a-Long-pass-123');
    receiver.clear();
    await rest(site(), 'POST', `/users/${created.body.id}`, { ns: 'wp/v2', body: { last_name: 'Explorer' } });
    const [updated] = await receiver.waitForRequests(1);
    expect(JSON.parse(updated!.body)).toMatchObject({
      event: 'user.profile_updated',
      data: { id: created.body.id, last_name: 'Explorer' },
    });
    expect(updated!.body).not.toMatch(/\$P\$|\$wp\$|user_pass/);
  });

  it('sends space.updated once although the action fires twice in the request', async () => {
    const { receiver } = site();
    receiver.clear();
    await fireFixture(site(), 'space.updated', { times: 2 });
    await receiver.waitForRequests(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.requests.map((r) => r.headers['x-fluent-event'])).toEqual(['space.updated']);
  });
});

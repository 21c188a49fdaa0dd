/** Every Fluent Community event: the action fires inside WordPress → the subscribed receiver gets it, signed. */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { serialize } from 'php-serialize';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventNames, type EventName } from '../../shared/events.ts';
import { eventPayloadSchema } from '../../shared/payloads.ts';
import {
  compareWithFixture,
  fixtureUserIds,
  wpDate,
  type FixtureContext,
} from '../helpers/fixture-values.ts';
import { eventOfFixture, fireFixture, fixtureNames, fixturesDir, rest, useE2ESite } from '../helpers/rest.ts';
import type { TestSite } from '../helpers/site.ts';

const site = useE2ESite({ label: 'e2e_events' });
let secret = '';

/** Longer than the sidecar's one-second poll: a duplicate sent by a later claim or poll arrives within it. */
const quietMs = 1_500;

/** A WordPress user as WordPress itself reports them (`context=edit`), or undefined when there is none. */
async function wpUser(s: TestSite, id: number) {
  const res = await rest(s, 'GET', `/users/${id}?context=edit`, { ns: 'wp/v2' });
  return res.status === 200 ? res.body : undefined;
}

const gravatar = (email: string) =>
  `https://www.gravatar.com/avatar/${createHash('md5').update(email.trim().toLowerCase()).digest('hex')}?s=128&d=mp`;

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

const fixtures = fixtureNames;
const eventOf = eventOfFixture;

describe('every event, from the hook in WordPress to the receiver', () => {
  it('has a fixture for each of the 24 events', () => {
    expect(new Set(fixtures.map(eventOf))).toEqual(new Set(eventNames));
  });

  /** The `webhook-id` of each fixture's delivery, in firing order: checked for duplicates once all have fired. */
  const deliveredIds: string[] = [];

  it.each(fixtures)('%s', async (fixture) => {
    const event = eventOf(fixture);
    const { receiver } = site();
    // Not cleared between fixtures: a late duplicate of an earlier one stays visible to the check after them all.
    const before = receiver.requests.length;
    await fireFixture(site(), fixture);
    const [req] = await receiver.waitForRequests(1, {
      timeoutMs: 10_000,
      filter: (r) => receiver.requests.indexOf(r) >= before,
    });
    deliveredIds.push(req!.headers['webhook-id']!);
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
    // Every field of data as the recorded call implies it, through the plugin's PHP normaliser in WordPress.
    const users: Record<number, FixtureContext['users'][number]> = {};
    for (const id of fixtureUserIds(fixture)) users[id] = await wpUser(site(), id);
    const { problems, compared } = compareWithFixture(fixture, payload.data, {
      actorId: site().wp.users.admin.id,
      users,
    });
    expect(problems).toEqual([]);
    expect(compared).toBeGreaterThan(0);
    // The admin fired it and has no Fluent Community profile row: xprofile is derived from their WordPress user.
    const admin = await wpUser(site(), site().wp.users.admin.id);
    expect(payload.xprofile).toEqual({
      user_id: site().wp.users.admin.id,
      total_points: 0,
      is_verified: 0,
      status: 'active',
      display_name: admin.name,
      username: admin.username,
      avatar: gravatar(admin.email),
      created_at: wpDate(admin.registered_date),
      short_description: null,
      meta: {
        website: null,
        cover_photo: null,
        headline: null,
        short_description_rendered: null,
        social_links: null,
        badge_slug: null,
      },
      badge: null,
    });
    expect(req!.body).not.toMatch(/REDACTED|user_pass/);
  });

  it('delivered each of those calls exactly once, with nothing arriving late', async () => {
    // Companions and second hooks never send an event twice, and no later claim, poll or retry resends one.
    const all = await site().receiver.waitForQuiet(quietMs);
    expect(deliveredIds).toHaveLength(fixtures.length);
    expect(new Set(deliveredIds).size).toBe(fixtures.length);
    expect(all.map((r) => r.headers['webhook-id'])).toEqual(deliveredIds);
  });

  it("carries the profile from Fluent Community's own xprofile table, meta decoded", async () => {
    const { receiver, db } = site();
    const adminId = site().wp.users.admin.id;
    const admin = await wpUser(site(), adminId);
    const meta = {
      website: 'https://ada.example.com',
      cover_photo: '',
      short_description_rendered: '<p>Builds &amp; tests</p>',
      headline: 'Maker of "things"',
      social_links: { twitter: '@ada', github: 'ada-l' },
      badge_slug: ['founder'],
    };
    await db.pool.query(
      `INSERT INTO wp_fcom_xprofile (user_id, total_points, username, status, is_verified, display_name, avatar,
         short_description, last_activity, meta, created_at, updated_at)
       VALUES (?, 42, 'ada-community', 'active', 1, 'Ada From Table', NULL, 'Builds & tests', NOW(), ?,
         '2026-01-02 03:04:05', NOW())`,
      [adminId, serialize(meta)],
    );
    try {
      receiver.clear();
      await fireFixture(site(), 'feed.created');
      const [req] = await receiver.waitForRequests(1, { timeoutMs: 10_000 });
      expect(JSON.parse(req!.body).xprofile).toEqual({
        user_id: adminId,
        total_points: 42,
        is_verified: 1,
        status: 'active',
        display_name: 'Ada From Table',
        username: 'ada-community',
        avatar: gravatar(admin.email),
        created_at: '2026-01-02 03:04:05',
        short_description: 'Builds & tests',
        meta,
        badge: null,
      });
    } finally {
      await db.pool.query('DELETE FROM wp_fcom_xprofile WHERE user_id = ?', [adminId]);
    }
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
    await receiver.waitForQuiet(quietMs);
    expect(receiver.requests.map((r) => r.headers['x-fluent-event'])).toEqual(['space.updated']);
  });
});

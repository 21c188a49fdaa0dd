/**
 * Filters end to end, for every event of the catalogue: each fixture fires inside WordPress (the emulator, with the
 * companion "before" action of deletions) once where it was logged and once moved into a private space; four
 * webhooks subscribed to everything see it or not by their filters. The database shows which deliveries exist.
 */
import type { RowDataPacket } from 'mysql2/promise';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EventName } from '../../shared/events.ts';
import { seedSpaces } from '../helpers/fcom-tables.ts';
import { eventOfFixture, fireFixture, fixtureNames, fixturesDir, rest, useE2ESite } from '../helpers/rest.ts';

const site = useE2ESite({ label: 'e2e_filters' });
const prefix = () => site().wp.db.table_prefix;

/** The webhooks: their receiver path and filters. Fixtures happen in space 8 or course 9, both public. */
const webhooks = {
  listed: { filters: { spaces: [8, 9] } },
  other: { filters: { spaces: [20] } },
  public: { filters: { privacy: ['public'] } },
  all: { filters: {} },
} as const;
const ids: Record<string, number> = {};

const fixtures = fixtureNames;
const eventOf = eventOfFixture;

/** How to move each fixture's event into private space 20: the argument that carries the space, changed. */
const intoPrivate = { space_id: '20', space: { id: 20, privacy: 'private', parent_id: null } };
const asSpace = { overrides: { 0: { id: 20, privacy: 'private' } } };
const moves: Record<string, { overrides?: object; beforeOverrides?: object } | null> = {
  'feed.created': { overrides: { 0: intoPrivate } },
  'feed.updated': { overrides: { 0: intoPrivate } },
  'feed.pinned': { overrides: { 0: intoPrivate } },
  'feed.unpinned': { overrides: { 0: intoPrivate } },
  // Only the id: the post as feed/before_deleted passed it, whose space is read from fcom_spaces.
  'feed.deleted': { beforeOverrides: { 0: { space_id: '20' } } },
  'comment.created': { overrides: { 1: intoPrivate } },
  'comment.updated': { overrides: { 1: intoPrivate } },
  'comment.deleted': { overrides: { 1: intoPrivate } },
  'reaction.added': { overrides: { 1: intoPrivate } },
  'variants/reaction.added.comment': { overrides: { 2: intoPrivate } },
  'reaction.removed': { overrides: { 0: intoPrivate } },
  'variants/reaction.removed.comment': { overrides: { 1: intoPrivate } },
  'space.created': asSpace,
  'space.updated': asSpace,
  // Only the id: the space as space/before_delete passed it (the emulator gives it the deleted id).
  'space.deleted': { overrides: { 0: 20 }, beforeOverrides: { 0: { privacy: 'private' } } },
  'space.member_joined': asSpace,
  'space.member_left': asSpace,
  'course.enrolled': asSpace,
  'course.unenrolled': asSpace,
  'lesson.completed': { overrides: { 0: { space_id: '20' } } },
  'report.created': { overrides: { 1: intoPrivate } },
  'report.resolved': { overrides: { 1: intoPrivate } },
  'user.registered': null,
  'user.profile_updated': null,
  'user.followed': null,
  'user.unfollowed': null,
};

beforeAll(async () => {
  await seedSpaces(
    site().db.pool,
    [
      { id: 8, title: 'Announcements', privacy: 'public' },
      { id: 9, title: 'Course', type: 'course', privacy: 'public' },
      { id: 20, title: 'Staff', privacy: 'private' },
      { id: 30, title: 'Board', privacy: 'secret' },
    ],
    prefix(),
  );
  for (const [name, { filters }] of Object.entries(webhooks)) {
    const res = await rest(site(), 'POST', '/admin/webhooks', {
      body: { name, url: `${site().receiver.url}/${name}`, events: ['*'], filters },
    });
    expect(res.status).toBe(201);
    ids[name] = res.body.id;
  }
});

let lastEventId = 0;

/**
 * Fires, waits for the deliveries that should arrive, then reads which webhooks got a delivery of the new event(s):
 * the fan-out creates all of an event's deliveries in one statement, so none is still to come.
 */
async function fire(
  fixture: string,
  expected: string[],
  move?: { overrides?: object; beforeOverrides?: object },
  trigger: () => Promise<unknown> = () => fireFixture(site(), fixture, move ?? {}),
) {
  const { receiver } = site();
  const before = receiver.requests.length;
  await trigger();
  const arrived = await receiver.waitForRequests(expected.length, {
    timeoutMs: 10_000,
    filter: (r) => receiver.requests.indexOf(r) >= before,
  });
  for (const req of arrived) expect(req.headers['x-fluent-event']).toBe(eventOf(fixture));
  const [rows] = await site().db.pool.query<RowDataPacket[]>(
    `SELECT e.id AS event_id, d.webhook_id FROM ${prefix()}fcwh_events e
     LEFT JOIN ${prefix()}fcwh_deliveries d ON d.event_id = e.id WHERE e.id > ? ORDER BY e.id, d.webhook_id`,
    [lastEventId],
  );
  expect(new Set(rows.map((r) => r.event_id)).size).toBe(1);
  lastEventId = Math.max(lastEventId, ...rows.map((r) => Number(r.event_id)));
  const got = rows.map((r) => Number(r.webhook_id));
  expect(got).toEqual(expected.map((name) => ids[name]!).sort((a, b) => a - b));
  expect(arrived.map((r) => r.path.slice(1)).sort()).toEqual([...expected].sort());
}

describe('filters, from the hook in WordPress to the receivers', () => {
  it('has a way to move each fixture into another space, or knows it has no space', () => {
    expect(Object.keys(moves).sort()).toEqual([...fixtures].sort());
  });

  it.each(fixtures)('%s', async (fixture) => {
    const move = moves[fixture];
    if (move === null) {
      // No space: every webhook gets it, whatever its filters.
      await fire(fixture, ['listed', 'other', 'public', 'all']);
      return;
    }
    await fire(fixture, ['listed', 'public', 'all']);
    await fire(fixture, ['other', 'all'], move);
  });

  it('keeps secret spaces out of a public-only webhook and sends timeline posts to every webhook', async () => {
    const secret = { space_id: '30', space: { id: 30, privacy: 'secret', parent_id: null } };
    await fire('feed.created', ['all'], { overrides: { 0: secret } });
    await fire('feed.created', ['listed', 'other', 'public', 'all'], {
      overrides: { 0: { space_id: null, space: null } },
    });
  });

  it('filters a deleted space by what before_delete passed, once its row is gone', async () => {
    // Space 31 has no row (deleted): its privacy comes only from the before_delete call.
    await fire('space.deleted', ['all'], {
      overrides: { 0: 31 },
      beforeOverrides: { 0: { privacy: 'secret' } },
    });
    await fire('space.deleted', ['public', 'all'], {
      overrides: { 0: 31 },
      beforeOverrides: { 0: { privacy: 'public' } },
    });
  });

  it("leaves out actions by an excluded role, as WordPress's own capabilities say", async () => {
    const res = await rest(site(), 'POST', '/admin/webhooks', {
      body: {
        name: 'staffless',
        url: `${site().receiver.url}/staffless`,
        events: ['*'],
        filters: { exclude_roles: ['administrator'] },
      },
    });
    expect(res.status).toBe(201);
    ids.staffless = res.body.id;
    // The emulator fires as the administrator.
    await fire('feed.created', ['listed', 'public', 'all']);
    await fire('user.registered', ['listed', 'other', 'public', 'all']);
    await rest(site(), 'PUT', `/admin/webhooks/${ids.staffless}`, {
      body: { filters: { exclude_roles: ['editor'] } },
    });
    await fire('feed.created', ['listed', 'public', 'all', 'staffless']);
  });

  it("filters a post deleted through Fluent Community's own DELETE route like the post", async () => {
    // The emulator's portal route fires feed/before_deleted, then feed/deleted, as FeedsController::deleteFeed.
    await fire('feed.deleted', ['listed', 'public', 'all', 'staffless'], undefined, async () => {
      const res = await rest(site(), 'DELETE', '/feeds/9');
      expect(res.status).toBe(200);
    });
  });

  it('never shows a filtered-out event in the delivery log, as failed or otherwise', async () => {
    const log = await rest(site(), 'GET', `/admin/webhooks/${ids.other}/deliveries?per_page=100`);
    expect(log.status).toBe(200);
    const all = await rest(site(), 'GET', `/admin/webhooks/${ids.all}/deliveries?per_page=100`);
    // 'other' got only the moved events and the spaceless ones; 'all' got everything.
    expect(log.body.deliveries.length).toBeLessThan(all.body.deliveries.length);
    expect(log.body.deliveries.every((d: { status: string }) => d.status !== 'failed')).toBe(true);
    const failed = await rest(site(), 'GET', `/admin/webhooks/${ids.listed}/deliveries?status=failed`);
    expect(failed.body.deliveries).toEqual([]);
  });

  it('shows the filters and the names of the listed spaces that exist, in both namespaces', async () => {
    for (const ns of ['fluent-community/v2', 'fluent-community-webhooks/v1']) {
      const res = await rest(site(), 'GET', `/admin/webhooks/${ids.listed}`, { ns });
      expect(res.body).toMatchObject({
        filters: { spaces: [8, 9] },
        filter_spaces: [
          { id: 8, title: 'Announcements', privacy: 'public' },
          { id: 9, title: 'Course', type: 'course' },
        ],
      });
      const bad = await rest(site(), 'PUT', `/admin/webhooks/${ids.listed}`, {
        ns,
        body: { filters: { privacy: ['hidden'] } },
      });
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ code: 'invalid_filters', data: { status: 400 } });
      expect(bad.body.message).toMatch(/filters\.privacy\[0\]/);
    }
  });
});

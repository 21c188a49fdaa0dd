/**
 * The space every recorded event happened in, as a filter sees it: from the action's arguments at event time, and
 * from Fluent Community's tables (a real MariaDB) only where the arguments lack it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { eventsForHook, type EventName } from '../../shared/events.ts';
import { noScope, type EventScope } from '../../shared/filters.ts';
import { hooks } from '../../shared/hooks.ts';
import { eventScope, eventScopes } from '../../shared/scope.ts';
import { tableNames } from '../../sidecar/src/db/pool.ts';
import { createFactsReader } from '../../sidecar/src/scopes.ts';
import { createFcomTables, seedPosts, seedSpaces } from '../helpers/fcom-tables.ts';
import { sessionCounters, useTestDatabase } from '../helpers/db.ts';
import { allFixtures, loadFixture, withoutClassMarkers } from '../shared/hook-fixtures.ts';

const database = useTestDatabase('filters_scope');
const t = tableNames('wp_');
const reader = () => createFactsReader(database().pool, t);

// The fixtures' space 8 is public in their arguments; the table says private, so a scope that reads the table
// instead of the arguments shows it. Course 9 (the lesson's) is known only to the table.
beforeAll(async () => {
  await createFcomTables(database().pool);
  await seedSpaces(database().pool, [
    { id: 8, privacy: 'private' },
    { id: 9, type: 'course', privacy: 'secret', parent_id: 3 },
    { id: 20, privacy: 'private', parent_id: 3 },
  ]);
  await seedPosts(database().pool, [
    { id: 12, space_id: 20 },
    { id: 13, space_id: null },
  ]);
  await database().pool
    .query(`CREATE TABLE wp_usermeta (umeta_id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id BIGINT UNSIGNED NOT NULL, meta_key VARCHAR(255) NULL, meta_value LONGTEXT NULL, KEY user_id (user_id))`);
  // As WordPress stores them: an administrator; an editor granted one capability of their own (and one revoked).
  await database().pool.query(`INSERT INTO wp_usermeta (user_id, meta_key, meta_value) VALUES
    (1, 'wp_capabilities', 'a:1:{s:13:"administrator";b:1;}'),
    (2, 'wp_capabilities', 'a:3:{s:6:"editor";b:1;s:12:"upload_files";b:1;s:10:"edit_posts";b:0;}'),
    (2, 'wp2_capabilities', 'a:1:{s:13:"administrator";b:1;}'),
    (3, 'wp_capabilities', 'O:8:"stdClass":0:{}')`);
});

const fromArgs: EventScope = { space_id: 8, privacy: 'public', parent_id: null };
const course: EventScope = { space_id: 9, privacy: 'public', parent_id: null };
const expected: Record<EventName, EventScope> = {
  'feed.created': fromArgs,
  'feed.updated': fromArgs,
  'feed.pinned': fromArgs,
  'feed.unpinned': fromArgs,
  // The fixture alone (no before_deleted call in the request) has only the id.
  'feed.deleted': noScope,
  'comment.created': fromArgs,
  'comment.updated': fromArgs,
  'comment.deleted': fromArgs,
  'reaction.added': fromArgs,
  'reaction.removed': fromArgs,
  'space.created': fromArgs,
  'space.updated': fromArgs,
  'space.deleted': { space_id: 8, privacy: 'private', parent_id: null },
  'space.member_joined': fromArgs,
  'space.member_left': fromArgs,
  'user.registered': noScope,
  'user.profile_updated': noScope,
  'user.followed': noScope,
  'user.unfollowed': noScope,
  'course.enrolled': course,
  'course.unenrolled': course,
  'lesson.completed': { space_id: 9, privacy: 'secret', parent_id: 3 },
  'report.created': fromArgs,
  'report.resolved': fromArgs,
};

describe('the space each event happened in', () => {
  it.each(allFixtures().map((f) => [f.file, f] as const))('%s', async (_file, fixture) => {
    const [event] = eventsForHook(fixture.hook, fixture.args);
    expect(event).toBe(fixture.event);
    expect(await eventScope(event!, fixture.hook, fixture.args, reader())).toEqual(expected[event!]);
  });

  it('documents what a filter sees for every event', () => {
    for (const rule of Object.values(eventScopes)) expect(rule.sees.length).toBeGreaterThan(20);
  });

  it("takes a deleted post's space from the before_deleted call the plugin appends", async () => {
    const deleted = loadFixture('feed.deleted');
    const before = loadFixture('companions/feed.before_deleted');
    const keep = hooks['fluent_community/feed/deleted'].before.keep as readonly string[];
    const kept = Object.fromEntries(
      Object.entries(before.args[0] as object).filter(([k]) => keep.includes(k)),
    );
    const args = [...deleted.args, kept];
    // The post as found for deletion has no space loaded: its space is read from the table.
    expect(await eventScope('feed.deleted', deleted.hook, args, reader())).toEqual({
      space_id: 8,
      privacy: 'private',
      parent_id: null,
    });
    // With the space loaded (a moderator's deletion loads it to check permissions), the loaded one counts.
    const feed = withoutClassMarkers(loadFixture('feed.updated').raw[0]) as Record<string, unknown>;
    expect(
      await eventScope('feed.deleted', deleted.hook, ['9', { ...kept, space: feed.space }], reader()),
    ).toEqual(fromArgs);
  });

  it("takes a deleted space's privacy and group from the before_delete call, even once the row is gone", async () => {
    const before = loadFixture('companions/space.before_delete');
    const space = { ...(before.args[0] as object), id: 77, privacy: 'secret', parent_id: '3' };
    expect(
      await eventScope('space.deleted', 'fluent_community/space/deleted', [77, space], reader()),
    ).toEqual({
      space_id: 77,
      privacy: 'secret',
      parent_id: 3,
    });
    // Without it only the id is known: privacy null, which no privacy filter lets through.
    expect(await eventScope('space.deleted', 'fluent_community/space/deleted', [77], reader())).toEqual({
      space_id: 77,
      privacy: null,
      parent_id: null,
    });
  });

  it("reads a reported comment's space through its post, and gives a timeline post no space", async () => {
    const report = loadFixture('report.created');
    const comment = { id: 4, post_id: '12', user_id: '2', message: 'rude' };
    expect(
      await eventScope('report.created', report.hook, [report.args[0], comment, 'comment'], reader()),
    ).toEqual({ space_id: 20, privacy: 'private', parent_id: 3 });
    const timeline = { ...(report.args[1] as object), space_id: null, space: null };
    expect(await eventScope('report.created', report.hook, [report.args[0], timeline], reader())).toEqual(
      noScope,
    );
    const onTimelinePost = { ...comment, post_id: 13 };
    expect(
      await eventScope('report.created', report.hook, [report.args[0], onTimelinePost], reader()),
    ).toEqual(noScope);
  });

  it("reads an actor's roles from this site's capabilities meta, and none from junk or a missing row", async () => {
    const facts = reader();
    expect(await facts.roles(1)).toEqual(['administrator']);
    expect(await facts.roles(2)).toEqual(['editor', 'upload_files']);
    expect(await facts.roles(3)).toEqual([]);
    expect(await facts.roles(4)).toEqual([]);
  });

  it('reads each space once per batch, however many events need it', async () => {
    const lesson = loadFixture('lesson.completed');
    const conn = await database().pool.getConnection();
    try {
      const batch = createFactsReader(conn, t);
      const before = await sessionCounters(conn, "Variable_name = 'Com_select'");
      await Promise.all(
        Array.from({ length: 5 }, () => eventScope('lesson.completed', lesson.hook, lesson.args, batch)),
      );
      expect((await sessionCounters(conn, "Variable_name = 'Com_select'")) - before).toBe(1);
    } finally {
      conn.release();
    }
  });
});

import { describe, expect, it } from 'vitest';
import { eventNames, eventsForHook, type EventName } from '../../shared/events.ts';
import { buildEventData, eventDataSchemas } from '../../shared/payloads.ts';
import { allFixtures, contextFor, loadFixture } from './hook-fixtures.ts';

const fixtures = allFixtures();

async function build(file: string, actorId?: number) {
  const fixture = loadFixture(file);
  const [event] = eventsForHook(fixture.hook, fixture.args);
  return buildEventData(event as EventName, fixture.hook, fixture.args, contextFor(fixture.event, actorId));
}

/** Every value under a key named `id`, `*_id`, `*_by` or `*_count`, wherever it is nested. */
function idLikeValues(value: unknown, key = ''): unknown[] {
  if (Array.isArray(value)) return value.flatMap((item) => idLikeValues(item));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([name, item]) => idLikeValues(item, name));
  }
  return /^(id|.+_id|.+_count|created_by|resolved_by)$/.test(key) ? [value] : [];
}

describe('every recorded action', () => {
  it('covers all 24 events', () => {
    expect(new Set(fixtures.map((fixture) => fixture.event))).toEqual(new Set(eventNames));
  });

  it.each(fixtures.map((fixture) => [fixture.file, fixture] as const))(
    '%s produces its event, with data its schema accepts and integer ids',
    async (_file, fixture) => {
      expect(eventsForHook(fixture.hook, fixture.args)).toEqual([fixture.event]);
      const event = fixture.event as EventName;
      const data = await buildEventData(event, fixture.hook, fixture.args, contextFor(event));
      expect(eventDataSchemas[event].safeParse(data).error).toBeUndefined();
      for (const id of idLikeValues(data)) expect(id === null || Number.isInteger(id)).toBe(true);
    },
  );
});

describe('feed events', () => {
  it('describe a new post with the fields of the spec example', async () => {
    expect(await build('feed.created')).toMatchObject({
      id: 9,
      user_id: 1,
      title: 'FC Drive post 1795753124855002478',
      message: 'Hello from fc-drive.sh',
      space_id: 8,
      created_at: '2026-11-27 04:18:45',
      is_sticky: 0,
      space: { id: 8, slug: 'fc-drive-1795753124855002478', type: 'community', privacy: 'public' },
    });
  });

  it('name the changed columns of an edit but never copy their raw values', async () => {
    const data = await build('feed.updated');
    expect(data).toMatchObject({ changed_fields: ['message', 'message_rendered', 'meta'] });
    expect(JSON.stringify(data)).not.toContain('a:1:{');
  });

  it('carry is_sticky 1 for a pin and 0 for an unpin, from the change itself', async () => {
    expect(await build('feed.pinned')).toMatchObject({ id: 9, is_sticky: 1 });
    expect(await build('feed.unpinned')).toMatchObject({ id: 9, is_sticky: 0 });
  });

  it('describe a deleted post by the id the hook passes, as an integer', async () => {
    expect(await build('feed.deleted')).toEqual({ id: 9 });
  });
});

describe('comment events', () => {
  const feed = {
    id: 9,
    title: 'FC Drive post 1795753124855002478',
    slug: 'fc-drive-post-1795753124855002478',
    space_id: 8,
    permalink:
      'http://127.0.0.1:8089/portal/space/fc-drive-1795753124855002478/post/fc-drive-post-1795753124855002478',
  };

  it('carry the comment with a summary of its post', async () => {
    expect(await build('comment.created')).toMatchObject({
      id: 4,
      user_id: 2,
      post_id: 9,
      parent_id: null,
      feed,
    });
  });

  it('cast the string user id of a loaded comment', async () => {
    expect(await build('comment.updated')).toMatchObject({ id: 4, user_id: 2, reactions_count: 0 });
  });

  it('describe a deleted comment by its id and its post', async () => {
    expect(await build('comment.deleted')).toEqual({ id: 4, post_id: 9, feed });
  });
});

describe('reaction events', () => {
  it('describe a like on a post with the reacting user', async () => {
    expect(await build('reaction.added')).toMatchObject({
      id: 9,
      object_type: 'feed',
      object_id: 9,
      type: 'like',
      user_id: 2,
      feed: { id: 9 },
      comment: null,
    });
  });

  it('describe a like on a comment with summaries of the comment and its post', async () => {
    expect(await build('variants/reaction.added.comment')).toMatchObject({
      object_type: 'comment',
      object_id: 4,
      user_id: 1,
      comment: { id: 4, post_id: 9, user_id: 2 },
      feed: { id: 9 },
    });
  });

  it('fall back on the acting user when a reaction carries no user id', async () => {
    const { hook, args } = loadFixture('reaction.added');
    const { user_id: _user, ...reaction } = args[0] as Record<string, unknown>;
    const data = await buildEventData(
      'reaction.added',
      hook,
      [reaction, args[1]],
      contextFor('reaction.added', 7),
    );
    expect(data.user_id).toBe(7);
  });

  it('attribute a removed like to the acting user, since the hook passes no reaction', async () => {
    expect(await build('reaction.removed', 2)).toMatchObject({
      object_type: 'feed',
      object_id: 9,
      type: 'like',
      user_id: 2,
    });
    expect(await build('variants/reaction.removed.comment', 1)).toMatchObject({
      object_type: 'comment',
      object_id: 4,
      user_id: 1,
      comment: { id: 4 },
      feed: { id: 9 },
    });
  });

  it('leave the user of a removed like null when nobody was logged in', async () => {
    expect(await build('reaction.removed', 0)).toMatchObject({ user_id: null });
  });
});

describe('space events', () => {
  it('describe a new space, with missing columns as null', async () => {
    expect(await build('space.created')).toMatchObject({ id: 8, created_by: 1, status: null, logo: null });
  });

  it('describe an updated space as it is after the update', async () => {
    expect(await build('space.updated')).toMatchObject({
      id: 8,
      title: 'FC Drive 1795753124855002478 (updated)',
    });
  });

  it('describe a deleted space by its id', async () => {
    expect(await build('space.deleted')).toEqual({ id: 8 });
  });

  it('carry the member, who acted and a summary of the space', async () => {
    const space = { id: 8, title: 'FC Drive 1795753124855002478', slug: 'fc-drive-1795753124855002478' };
    expect(await build('space.member_joined')).toMatchObject({ user_id: 2, by: 'self', space });
    expect(await build('space.member_left')).toMatchObject({ user_id: 2, by: 'self', space });
  });
});

describe('user events', () => {
  const exampleUser = {
    ID: 5,
    user_login: 'drive',
    user_email: 'drive@example.com',
    user_url: '',
    user_registered: '2026-11-27 04:18:44',
    display_name: 'Drive User',
    first_name: 'Drive',
    last_name: 'User',
  };

  it('describe the registered user from the WordPress user row', async () => {
    const { hook, args } = loadFixture('user.registered');
    const ctx = { actorId: 1, user: async (id: number) => (id === 5 ? exampleUser : null) };
    const data = await buildEventData('user.registered', hook, args, ctx);
    expect(data).toEqual({
      id: 5,
      username: 'drive',
      email: 'drive@example.com',
      display_name: 'Drive User',
      first_name: 'Drive',
      last_name: 'User',
      url: '',
      registered_at: '2026-11-27 04:18:44',
    });
  });

  it('describe a profile update from the user row, whatever the hook passed besides the id', async () => {
    expect(await build('user.profile_updated')).toMatchObject({
      id: 2,
      username: 'bob',
      email: 'bob@example.com',
    });
  });

  it('carry only the id of a user who cannot be found', async () => {
    const ctx = { actorId: 0, user: async () => null };
    expect(await buildEventData('user.profile_updated', 'profile_update', ['2'], ctx)).toEqual({ id: 2 });
  });

  it('describe a follow with both users and the followed profile', async () => {
    expect(await build('user.followed')).toMatchObject({
      follower_id: 2,
      followed_id: 1,
      level: null,
      followed: { user_id: 1, username: 'admin2', display_name: 'admin' },
    });
    expect(await build('user.unfollowed')).toMatchObject({ follower_id: 2, followed_id: 1, level: 1 });
  });
});

describe('course events', () => {
  const course = { id: 9, slug: 'fc-drive-course-1795753124855002478', course_type: 'self_paced' };

  it('carry the student, who acted and a summary of the course', async () => {
    expect(await build('course.enrolled')).toMatchObject({ user_id: 2, by: 'self', course });
  });

  it('cast the student id an unenrolment takes from the URL', async () => {
    expect(await build('course.unenrolled')).toMatchObject({ user_id: 2, by: 'by_admin', course });
  });

  it('carry the completed lesson with its course and section', async () => {
    expect(await build('lesson.completed')).toEqual({
      user_id: 2,
      lesson: { id: 11, title: 'Lesson 1', slug: 'lesson-1', course_id: 9, section_id: 10 },
    });
  });
});

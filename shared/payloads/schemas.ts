/**
 * zod schemas of every event's `data` object. Objects are strict: a builder that lets an unlisted field through
 * fails its tests, and the JSON Schemas the docs publish say `additionalProperties: false`.
 */
import { z } from 'zod';
import type { EventName } from '../events.ts';
import { storedDateTime } from './values.ts';

const id = z.int().nullable();
const count = z.int().nullable();
const text = z.string().nullable();
const time = z.string().regex(storedDateTime).nullable().describe('As stored: YYYY-MM-DD HH:MM:SS');

export const spaceSummary = z.strictObject({ id, title: text, slug: text, type: text, privacy: text });

export const feedSummary = z.strictObject({ id, title: text, slug: text, space_id: id, permalink: text });

export const commentSummary = z.strictObject({ id, post_id: id, parent_id: id, user_id: id, message: text });

export const courseSummary = z.strictObject({
  id,
  title: text,
  slug: text,
  privacy: text,
  course_type: text,
});

export const profileSummary = z.strictObject({
  user_id: id,
  username: text,
  display_name: text,
  avatar: text,
  permalink: text,
});

/** The reported post or comment. */
export const contentSummary = z.strictObject({
  type: z.enum(['post', 'comment']),
  id,
  user_id: id,
  post_id: id.describe('The post a comment belongs to; null for posts'),
  title: text,
  message: text,
  status: text,
  permalink: text,
});

export const feedData = z.strictObject({
  id,
  user_id: id,
  title: text,
  message: text,
  space_id: id,
  created_at: time,
  slug: text,
  message_rendered: text,
  type: text,
  content_type: text,
  privacy: text,
  status: text,
  is_sticky: z.int().nullable(),
  comments_count: count,
  reactions_count: count,
  permalink: text,
  updated_at: time,
  space: spaceSummary.nullable(),
});

export const feedUpdatedData = feedData.extend({
  changed_fields: z.array(z.string()).describe('Columns the edit changed, e.g. ["message", "meta"]'),
});

export const commentData = z.strictObject({
  id,
  user_id: id,
  post_id: id,
  parent_id: id,
  message: text,
  message_rendered: text,
  type: text,
  content_type: text,
  status: text,
  is_sticky: z.int().nullable(),
  reactions_count: count,
  created_at: time,
  updated_at: time,
  feed: feedSummary.nullable(),
});

export const commentDeletedData = z.strictObject({ id: z.int(), post_id: id, feed: feedSummary.nullable() });

const reactionTarget = {
  object_type: z.enum(['feed', 'comment']),
  object_id: id,
  type: text,
  user_id: id.describe('The reacting user'),
  feed: feedSummary.nullable(),
  comment: commentSummary.nullable().describe('Set when the reaction is on a comment'),
};
export const reactionAddedData = z.strictObject({ id, ...reactionTarget, created_at: time });
export const reactionRemovedData = z.strictObject(reactionTarget);

export const spaceData = z.strictObject({
  id,
  title: text,
  slug: text,
  description: text,
  type: text,
  privacy: text,
  status: text,
  parent_id: id,
  created_by: id,
  logo: text,
  cover_photo: text,
  created_at: time,
  updated_at: time,
});

export const deletedData = z.strictObject({ id: z.int() });

const by = text.describe('Who acted: "self", "by_admin" or "automation"');

export const membershipData = z.strictObject({ user_id: id, by, space: spaceSummary });

export const userData = z.union([
  z.strictObject({
    id: z.int(),
    username: text,
    email: text,
    display_name: text,
    first_name: text,
    last_name: text,
    url: text,
    registered_at: time,
  }),
  z.strictObject({ id: z.int() }).describe('The user could not be found'),
]);

export const followData = z.strictObject({
  id,
  follower_id: id,
  followed_id: id,
  level: z.int().nullable(),
  created_at: time,
  followed: profileSummary.nullable(),
});

export const enrollmentData = z.strictObject({ user_id: id, by, course: courseSummary });

export const lessonCompletedData = z.strictObject({
  user_id: id,
  lesson: z.strictObject({ id, title: text, slug: text, course_id: id, section_id: id }),
});

const report = {
  id,
  content_type: text,
  reason: text,
  explanation: text,
  user_id: id.describe('The reporting member; null for automatic flags'),
  status: text,
  reports_count: count,
};
export const reportCreatedData = z.strictObject({
  ...report,
  created_at: time,
  content: contentSummary.nullable(),
});
export const reportResolvedData = z.strictObject({
  ...report,
  resolved_by: id,
  updated_at: time,
  content: contentSummary.nullable().describe('Null when the content was deleted'),
});

/** The `data` schema of every event. */
export const eventDataSchemas = {
  'feed.created': feedData,
  'feed.updated': feedUpdatedData,
  'feed.deleted': deletedData,
  'feed.pinned': feedData,
  'feed.unpinned': feedData,
  'comment.created': commentData,
  'comment.updated': commentData,
  'comment.deleted': commentDeletedData,
  'reaction.added': reactionAddedData,
  'reaction.removed': reactionRemovedData,
  'space.created': spaceData,
  'space.updated': spaceData,
  'space.deleted': deletedData,
  'space.member_joined': membershipData,
  'space.member_left': membershipData,
  'user.registered': userData,
  'user.profile_updated': userData,
  'user.followed': followData,
  'user.unfollowed': followData,
  'course.enrolled': enrollmentData,
  'course.unenrolled': enrollmentData,
  'lesson.completed': lessonCompletedData,
  'report.created': reportCreatedData,
  'report.resolved': reportResolvedData,
} as const satisfies Record<EventName, z.ZodType>;

export type EventData<E extends EventName> = z.infer<(typeof eventDataSchemas)[E]>;

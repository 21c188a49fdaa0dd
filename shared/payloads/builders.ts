/**
 * One builder per event: an action's normalised arguments to the event's `data`, from allow-lists only.
 * The argument orders are those of test/fixtures/HOOKS.md after shared/hooks.ts `forward`.
 */
import type { EventName, HookArgs } from '../events.ts';
import type { BuildContext } from './context.ts';
import {
  toComment,
  toCommentSummary,
  toCourseSummary,
  toFeed,
  toFeedSummary,
  toProfileSummary,
  toSpace,
  toSpaceSummary,
} from './objects.ts';
import { reportCreated, reportResolved } from './reports.ts';
import type { EventData } from './schemas.ts';
import { idArg, int, modelArg, record, text, timestamp } from './values.ts';

export type Builder<E extends EventName> = (
  args: HookArgs,
  ctx: BuildContext,
  hook: string,
) => EventData<E> | Promise<EventData<E>>;

const actor = (ctx: BuildContext) => (ctx.actorId > 0 ? ctx.actorId : null);

const columnName = /^[a-z][a-z0-9_]{0,63}$/;

/** The changed column names of a `$dirty` array; its values (raw, PHP-serialized meta) never leave. */
function changedFields(dirty: unknown): string[] {
  return Object.keys(record(dirty) ?? {}).filter((key) => columnName.test(key));
}

/** A pin or unpin: the post, with `is_sticky` as the change set it. */
function pinChange(args: HookArgs, fallback: 0 | 1): EventData<'feed.pinned'> {
  const feed = toFeed(modelArg(args, 0, 'feed'));
  return { ...feed, is_sticky: int(record(args[1])?.is_sticky) ?? fallback };
}

function comment(args: HookArgs): EventData<'comment.created'> {
  return toComment(modelArg(args, 0, 'comment'), record(args[1]));
}

/**
 * What a reaction is on. Comment hooks pass the comment, then its post; feed hooks pass the post alone.
 * `required`: the target is the only thing the action passes (removals), so without it there is no event.
 */
function reactionTarget(args: HookArgs, hook: string, from: number, required: boolean) {
  const pick = (index: number, what: string) =>
    required ? modelArg(args, index, what) : record(args[index]);
  const onComment = hook.startsWith('fluent_community/comment/');
  const comment = onComment ? pick(from, 'comment') : null;
  const feed = onComment ? record(args[from + 1]) : pick(from, 'feed');
  return {
    object_type: onComment ? ('comment' as const) : ('feed' as const),
    object_id: int((onComment ? comment : feed)?.id),
    feed: feed && toFeedSummary(feed),
    comment: comment && toCommentSummary(comment),
  };
}

function reactionAdded(args: HookArgs, ctx: BuildContext, hook: string): EventData<'reaction.added'> {
  const reaction = modelArg(args, 0, 'reaction');
  const target = reactionTarget(args, hook, 1, false);
  return {
    id: int(reaction.id),
    object_type: target.object_type,
    object_id: int(reaction.object_id) ?? target.object_id,
    type: text(reaction.type),
    user_id: int(reaction.user_id) ?? actor(ctx),
    feed: target.feed,
    comment: target.comment,
    created_at: timestamp(reaction.created_at),
  };
}

/** No reaction is passed on removal: Fluent Community only removes likes, by the current user. */
function reactionRemoved(args: HookArgs, ctx: BuildContext, hook: string): EventData<'reaction.removed'> {
  const target = reactionTarget(args, hook, 0, true);
  return {
    object_type: target.object_type,
    object_id: target.object_id,
    type: 'like',
    user_id: actor(ctx),
    feed: target.feed,
    comment: target.comment,
  };
}

function membership(args: HookArgs): EventData<'space.member_joined'> {
  const space = modelArg(args, 0, 'space');
  // A self join also loads the joining user as `membership`.
  const user_id = int(args[1]) ?? int(record(space.membership)?.ID);
  return { user_id, by: text(args[2]), space: toSpaceSummary(space) };
}

async function wpUser(args: HookArgs, ctx: BuildContext): Promise<EventData<'user.registered'>> {
  const id = idArg(args, 0, 'user id');
  const user = await ctx.user(id);
  if (user === null) return { id };
  return {
    id,
    username: text(user.user_login),
    email: text(user.user_email),
    display_name: text(user.display_name),
    first_name: text(user.first_name),
    last_name: text(user.last_name),
    url: text(user.user_url),
    registered_at: timestamp(user.user_registered),
  };
}

function follow(args: HookArgs): EventData<'user.followed'> {
  const row = modelArg(args, 0, 'follow');
  const followed = record(args[1]);
  return {
    id: int(row.id),
    follower_id: int(row.follower_id),
    followed_id: int(row.followed_id),
    level: int(row.level),
    created_at: timestamp(row.created_at),
    followed: followed && toProfileSummary(followed),
  };
}

function enrollment(args: HookArgs): EventData<'course.enrolled'> {
  const course = modelArg(args, 0, 'course');
  return { user_id: int(args[1]), by: text(args[2]), course: toCourseSummary(course) };
}

function lessonCompleted(args: HookArgs): EventData<'lesson.completed'> {
  const lesson = modelArg(args, 0, 'lesson');
  return {
    user_id: int(args[1]),
    lesson: {
      id: int(lesson.id),
      title: text(lesson.title),
      slug: text(lesson.slug),
      course_id: int(lesson.space_id),
      section_id: int(lesson.parent_id),
    },
  };
}

export const builders: { [E in EventName]: Builder<E> } = {
  'feed.created': (args) => toFeed(modelArg(args, 0, 'feed')),
  'feed.updated': (args) => ({
    ...toFeed(modelArg(args, 0, 'feed')),
    changed_fields: changedFields(args[1]),
  }),
  'feed.deleted': (args) => ({ id: idArg(args, 0, 'feed id') }),
  'feed.pinned': (args) => pinChange(args, 1),
  'feed.unpinned': (args) => pinChange(args, 0),
  'comment.created': comment,
  'comment.updated': comment,
  'comment.deleted': (args) => {
    const feed = record(args[1]);
    return {
      id: idArg(args, 0, 'comment id'),
      post_id: feed && int(feed.id),
      feed: feed && toFeedSummary(feed),
    };
  },
  'reaction.added': reactionAdded,
  'reaction.removed': reactionRemoved,
  'space.created': (args) => toSpace(modelArg(args, 0, 'space')),
  'space.updated': (args) => toSpace(modelArg(args, 0, 'space')),
  'space.deleted': (args) => ({ id: idArg(args, 0, 'space id') }),
  'space.member_joined': membership,
  'space.member_left': membership,
  'user.registered': wpUser,
  'user.profile_updated': wpUser,
  'user.followed': follow,
  'user.unfollowed': follow,
  'course.enrolled': enrollment,
  'course.unenrolled': enrollment,
  'lesson.completed': lessonCompleted,
  'report.created': reportCreated,
  'report.resolved': reportResolved,
};

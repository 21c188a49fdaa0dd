/**
 * Where each event happened: the space (id, privacy, parent) that webhook filters see, taken from the action's
 * arguments at event time. When the arguments name a space without its privacy (a lesson's course, a post whose
 * space relation is not loaded), the reader looks it up in Fluent Community's tables, once per batch.
 */
import type { EventName, HookArgs } from './events.ts';
import { noScope, type EventScope } from './filters.ts';
import { int, record, text, type Model } from './payloads/values.ts';

/** A row of `{prefix}fcom_spaces`, as much of it as a scope needs. */
export interface SpaceRow {
  id: number;
  privacy: string | null;
  parent_id: number | null;
}

/** Reads of Fluent Community's tables a scope may need; each answers null when the row does not exist. */
export interface ScopeReader {
  space(id: number): Promise<SpaceRow | null>;
  /** The space id of a post (`fcom_posts.space_id`); null for a timeline post or a post that does not exist. */
  postSpace(postId: number): Promise<number | null>;
}

/** Where a scope comes from, before any lookup. */
export type ScopeSource =
  | { readonly from: 'none' }
  | { readonly from: 'space'; readonly space: Model }
  | { readonly from: 'feed'; readonly feed: Model }
  | { readonly from: 'spaceId'; readonly id: number | null }
  | { readonly from: 'post'; readonly id: number | null };

interface ScopeRule {
  /** What a filter sees for the event, for the docs (README, docs/EVENTS.md). */
  readonly sees: string;
  readonly source: (args: HookArgs, hook: string) => ScopeSource;
}

const none: ScopeSource = { from: 'none' };
const space = (value: unknown): ScopeSource => {
  const model = record(value);
  return model ? { from: 'space', space: model } : none;
};
const feed = (value: unknown): ScopeSource => {
  const model = record(value);
  return model ? { from: 'feed', feed: model } : none;
};
const onComment = (hook: string) => hook.startsWith('fluent_community/comment/');

const post =
  "the post's space (`space_id`; privacy and group from the post's loaded space, else read from `fcom_spaces`); a timeline post has none";
const ofSpace = 'the space itself (its `id`, `privacy` and `parent_id`, the space group)';
const ofCourse = 'the course, which Fluent Community stores as a space (`id`, `privacy`, `parent_id`)';
const ofPostOfComment = 'the space of the post the comment is on (the post is passed with the comment)';
const ofReaction = 'the space of the post reacted to, or of the post of the comment reacted to';
const ofReport =
  'the space of the reported post, or of the post of the reported comment (read from `fcom_posts` when the content is a comment or absent)';
const noSpace = 'no space: always delivered, whatever the filters';

const feedRule: ScopeRule = { sees: post, source: (args) => feed(args[0]) };
const spaceRule: ScopeRule = { sees: ofSpace, source: (args) => space(args[0]) };
const courseRule: ScopeRule = { sees: ofCourse, source: (args) => space(args[0]) };
const userRule: ScopeRule = { sees: noSpace, source: () => none };

function commentSource(args: HookArgs): ScopeSource {
  if (record(args[1])) return feed(args[1]);
  return { from: 'post', id: int(record(args[0])?.post_id) };
}

function reactionSource(args: HookArgs, hook: string, from: number): ScopeSource {
  if (!onComment(hook)) return feed(args[from]);
  if (record(args[from + 1])) return feed(args[from + 1]);
  return { from: 'post', id: int(record(args[from])?.post_id) };
}

function reportSource(args: HookArgs): ScopeSource {
  const content = record(args[1]);
  // A reported comment carries its post's id; a reported post carries its own space.
  if (content && !('post_id' in content)) return feed(content);
  return { from: 'post', id: int(content?.post_id) ?? int(record(args[0])?.post_id) };
}

export const eventScopes: { readonly [E in EventName]: ScopeRule } = {
  'feed.created': feedRule,
  'feed.updated': feedRule,
  'feed.pinned': feedRule,
  'feed.unpinned': feedRule,
  'feed.deleted': {
    sees: `the deleted post's space, as \`fluent_community/feed/before_deleted\` passed the post just before the deletion: ${post}. Without that call (a post deleted by other code) the event has no space`,
    source: (args) => feed(args[1]),
  },
  'comment.created': { sees: ofPostOfComment, source: commentSource },
  'comment.updated': { sees: ofPostOfComment, source: commentSource },
  'comment.deleted': {
    sees: `${ofPostOfComment}: \`fluent_community/comment_deleted\` passes the post after the deletion`,
    source: (args) => feed(args[1]),
  },
  'reaction.added': { sees: ofReaction, source: (args, hook) => reactionSource(args, hook, 1) },
  'reaction.removed': { sees: ofReaction, source: (args, hook) => reactionSource(args, hook, 0) },
  'space.created': spaceRule,
  'space.updated': spaceRule,
  'space.deleted': {
    sees: `the deleted space, as \`fluent_community/space/before_delete\` passed it just before the deletion: ${ofSpace}. Without that call, only its id (privacy unknown: privacy filters leave it out)`,
    source: (args) => (record(args[1]) ? space(args[1]) : { from: 'spaceId', id: int(args[0]) }),
  },
  'space.member_joined': spaceRule,
  'space.member_left': spaceRule,
  'user.registered': userRule,
  'user.profile_updated': userRule,
  'user.followed': userRule,
  'user.unfollowed': userRule,
  'course.enrolled': courseRule,
  'course.unenrolled': courseRule,
  'lesson.completed': {
    sees: "the lesson's course (`space_id` of the lesson; the course's privacy and group read from `fcom_spaces`)",
    source: (args) => ({ from: 'spaceId', id: int(record(args[0])?.space_id) }),
  },
  'report.created': { sees: ofReport, source: reportSource },
  'report.resolved': { sees: ofReport, source: reportSource },
};

const positive = (id: number | null) => (id !== null && id > 0 ? id : null);

async function byId(id: number | null, reader: ScopeReader): Promise<EventScope> {
  const spaceId = positive(id);
  if (spaceId === null) return noScope;
  const row = await reader.space(spaceId);
  return { space_id: spaceId, privacy: row?.privacy ?? null, parent_id: positive(row?.parent_id ?? null) };
}

/** A space model's own scope; its privacy (and group) read from the table when the model lacks it. */
function ofModel(model: Model, reader: ScopeReader): Promise<EventScope> | EventScope {
  const id = positive(int(model.id));
  const privacy = text(model.privacy);
  if (id === null) return noScope;
  if (privacy === null) return byId(id, reader);
  return { space_id: id, privacy, parent_id: positive(int(model.parent_id)) };
}

/** The scope of one event of `hook` called with `args`. */
export async function eventScope(
  event: EventName,
  hook: string,
  args: HookArgs,
  reader: ScopeReader,
): Promise<EventScope> {
  const source = eventScopes[event].source(args, hook);
  switch (source.from) {
    case 'none':
      return noScope;
    case 'space':
      return ofModel(source.space, reader);
    case 'feed': {
      const spaceId = positive(int(source.feed.space_id));
      if (spaceId === null) return noScope;
      const loaded = record(source.feed.space);
      return loaded && int(loaded.id) === spaceId ? ofModel(loaded, reader) : byId(spaceId, reader);
    }
    case 'spaceId':
      return byId(source.id, reader);
    case 'post': {
      const postId = positive(source.id);
      return postId === null ? noScope : byId(await reader.postSpace(postId), reader);
    }
  }
}

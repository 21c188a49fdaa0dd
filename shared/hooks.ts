/**
 * The WordPress actions the plugin listens to, as observed on a real Fluent Community install
 * (see shared/fluent-community/HOOKS.md in the steering repo). Pure data: the PHP listener is generated from it.
 *
 * - `args`: how many arguments the action passes (add_action's accepted_args).
 * - `forward`: which of them leave PHP (default: all). WordPress core's user hooks carry passwords, so only
 *   the user id is forwarded.
 * - `oncePerRequest`: the action fires twice for one change (space/updated); only the first call per object id in
 *   a request is kept.
 * - `before`: the action passes only an id (a deletion); the model it names is passed by an action that fires just
 *   before, in the same request. The listener keeps the `keep` fields of that model (no other: a post's text has
 *   no business there) and appends them to the forwarded arguments of the call whose first argument is the same id.
 */
export interface HookSpec {
  readonly args: number;
  readonly forward?: readonly number[];
  readonly oncePerRequest?: boolean;
  readonly before?: { readonly hook: string; readonly keep: readonly string[] };
  readonly edition: 'core' | 'pro' | 'wordpress';
}

/** What a deleted post or space keeps for event scopes (shared/scope.ts): where it was, never its content. */
const deletedFeedFields = ['id', 'space_id', 'user_id', 'type', 'content_type', 'space'] as const;
const deletedSpaceFields = ['id', 'parent_id', 'type', 'privacy', 'status'] as const;

export const reportStatuses = [
  'published',
  'unpublished',
  'pending',
  'rejected',
  'flagged',
  'ignored',
] as const;

const reportHooks = Object.fromEntries(
  reportStatuses.map((status) => [`fluent_community/report/${status}`, { args: 2, edition: 'pro' }]),
) as Record<`fluent_community/report/${(typeof reportStatuses)[number]}`, HookSpec>;

export const hooks = {
  'fluent_community/feed/created': { args: 1, edition: 'core' },
  'fluent_community/feed/updated': { args: 2, edition: 'core' },
  'fluent_community/feed/deleted': {
    args: 1,
    before: { hook: 'fluent_community/feed/before_deleted', keep: deletedFeedFields },
    edition: 'core',
  },
  'fluent_community/comment_added': { args: 3, forward: [0, 1], edition: 'core' },
  'fluent_community/comment_updated': { args: 2, edition: 'core' },
  'fluent_community/comment_deleted': { args: 2, edition: 'core' },
  'fluent_community/feed/react_added': { args: 2, edition: 'core' },
  'fluent_community/comment/react_added': { args: 3, edition: 'core' },
  'fluent_community/feed/react_removed': { args: 1, edition: 'core' },
  'fluent_community/comment/react_removed': { args: 2, edition: 'core' },
  'fluent_community/space/created': { args: 2, forward: [0], edition: 'core' },
  'fluent_community/space/updated': { args: 2, forward: [0], oncePerRequest: true, edition: 'core' },
  'fluent_community/space/deleted': {
    args: 1,
    before: { hook: 'fluent_community/space/before_delete', keep: deletedSpaceFields },
    edition: 'core',
  },
  'fluent_community/space/joined': { args: 4, forward: [0, 1, 2], edition: 'core' },
  'fluent_community/space/user_left': { args: 3, edition: 'core' },
  user_register: { args: 2, forward: [0], edition: 'wordpress' },
  profile_update: { args: 3, forward: [0], edition: 'wordpress' },
  'fluent_community/followed_user': { args: 2, edition: 'pro' },
  'fluent_community/before_unfollowing_user': { args: 2, edition: 'pro' },
  'fluent_community/course/enrolled': { args: 4, forward: [0, 1, 2], edition: 'core' },
  'fluent_community/course/student_left': { args: 3, edition: 'core' },
  'fluent_community/course/lesson_completed': { args: 2, edition: 'core' },
  'fluent_community/content_moderation/created': { args: 3, edition: 'pro' },
  ...reportHooks,
} as const satisfies Record<string, HookSpec>;

export type HookName = keyof typeof hooks;
export const hookNames = Object.keys(hooks) as HookName[];

/**
 * The event catalogue: every event name of the specification, what it means, and which action produces it.
 * `when` picks the event out of an action that serves several (feed/updated carries edits, pins and unpins).
 */
import type { HookName } from './hooks.ts';

/** The arguments of an action after the plugin normalised them (models become arrays, ids stay as logged). */
export type HookArgs = readonly unknown[];

export interface EventSpec {
  readonly group: 'Feed' | 'Comment' | 'Reaction' | 'Space' | 'User' | 'Course' | 'Moderation';
  readonly description: string;
  readonly edition: 'core' | 'pro' | 'wordpress';
  readonly hooks: readonly HookName[];
  readonly when?: (args: HookArgs) => boolean;
}

const dirtyHas = (args: HookArgs, key: string): boolean => {
  const dirty = args[1];
  return typeof dirty === 'object' && dirty !== null && key in dirty;
};
const stickyIs = (args: HookArgs, value: number): boolean =>
  dirtyHas(args, 'is_sticky') && Number((args[1] as Record<string, unknown>).is_sticky) === value;

export const eventCatalogue = {
  'feed.created': {
    group: 'Feed',
    description: 'New feed post created',
    edition: 'core',
    hooks: ['fluent_community/feed/created'],
  },
  'feed.updated': {
    group: 'Feed',
    description: 'Feed post updated',
    edition: 'core',
    hooks: ['fluent_community/feed/updated'],
    when: (args) => !dirtyHas(args, 'is_sticky'),
  },
  'feed.deleted': {
    group: 'Feed',
    description: 'Feed post deleted',
    edition: 'core',
    hooks: ['fluent_community/feed/deleted'],
  },
  'feed.pinned': {
    group: 'Feed',
    description: 'Feed post pinned',
    edition: 'core',
    hooks: ['fluent_community/feed/updated'],
    when: (args) => stickyIs(args, 1),
  },
  'feed.unpinned': {
    group: 'Feed',
    description: 'Feed post unpinned',
    edition: 'core',
    hooks: ['fluent_community/feed/updated'],
    when: (args) => stickyIs(args, 0),
  },
  'comment.created': {
    group: 'Comment',
    description: 'New comment added',
    edition: 'core',
    hooks: ['fluent_community/comment_added'],
  },
  'comment.updated': {
    group: 'Comment',
    description: 'Comment updated',
    edition: 'core',
    hooks: ['fluent_community/comment_updated'],
  },
  'comment.deleted': {
    group: 'Comment',
    description: 'Comment deleted',
    edition: 'core',
    hooks: ['fluent_community/comment_deleted'],
  },
  'reaction.added': {
    group: 'Reaction',
    description: 'Reaction added to content',
    edition: 'core',
    hooks: ['fluent_community/feed/react_added', 'fluent_community/comment/react_added'],
  },
  'reaction.removed': {
    group: 'Reaction',
    description: 'Reaction removed from content',
    edition: 'core',
    hooks: ['fluent_community/feed/react_removed', 'fluent_community/comment/react_removed'],
  },
  'space.created': {
    group: 'Space',
    description: 'New space created',
    edition: 'core',
    hooks: ['fluent_community/space/created'],
  },
  'space.updated': {
    group: 'Space',
    description: 'Space updated',
    edition: 'core',
    hooks: ['fluent_community/space/updated'],
  },
  'space.deleted': {
    group: 'Space',
    description: 'Space deleted',
    edition: 'core',
    hooks: ['fluent_community/space/deleted'],
  },
  'space.member_joined': {
    group: 'Space',
    description: 'User joined space',
    edition: 'core',
    hooks: ['fluent_community/space/joined'],
  },
  'space.member_left': {
    group: 'Space',
    description: 'User left space',
    edition: 'core',
    hooks: ['fluent_community/space/user_left'],
  },
  'user.registered': {
    group: 'User',
    description: 'New user registered',
    edition: 'wordpress',
    hooks: ['user_register'],
  },
  'user.profile_updated': {
    group: 'User',
    description: 'User profile updated',
    edition: 'wordpress',
    hooks: ['profile_update'],
  },
  'user.followed': {
    group: 'User',
    description: 'User followed another user (PRO)',
    edition: 'pro',
    hooks: ['fluent_community/followed_user'],
  },
  'user.unfollowed': {
    group: 'User',
    description: 'User unfollowed another user (PRO)',
    edition: 'pro',
    hooks: ['fluent_community/before_unfollowing_user'],
  },
  'course.enrolled': {
    group: 'Course',
    description: 'User enrolled in course',
    edition: 'core',
    hooks: ['fluent_community/course/enrolled'],
  },
  'course.unenrolled': {
    group: 'Course',
    description: 'User unenrolled from course',
    edition: 'core',
    hooks: ['fluent_community/course/student_left'],
  },
  'lesson.completed': {
    group: 'Course',
    description: 'User completed lesson',
    edition: 'core',
    hooks: ['fluent_community/course/lesson_completed'],
  },
  'report.created': {
    group: 'Moderation',
    description: 'New moderation report submitted',
    edition: 'pro',
    hooks: ['fluent_community/content_moderation/created'],
  },
  'report.resolved': {
    group: 'Moderation',
    description: 'Moderation report resolved',
    edition: 'pro',
    hooks: [
      'fluent_community/report/published',
      'fluent_community/report/unpublished',
      'fluent_community/report/pending',
      'fluent_community/report/rejected',
      'fluent_community/report/flagged',
      'fluent_community/report/ignored',
    ],
  },
} as const satisfies Record<string, EventSpec>;

export type EventName = keyof typeof eventCatalogue;
export const eventNames = Object.keys(eventCatalogue) as [EventName, ...EventName[]];

/** The event the test route sends; not subscribable. */
export const testEventName = 'webhook.test';

/** The events an action call produces (usually one; none when `when` rules it out). */
export function eventsForHook(hook: string, args: HookArgs): EventName[] {
  return eventNames.filter((name) => {
    const spec: EventSpec = eventCatalogue[name];
    return spec.hooks.includes(hook as HookName) && (spec.when === undefined || spec.when(args));
  });
}

/**
 * One example action call per event, as the plugin forwards it, for the event docs. Values are invented but each
 * call has the shape of the recorded one in test/fixtures/hook-args (a test builds both and compares the shapes),
 * so the examples stay real without shipping the fixtures (and their logging artefacts) with the sidecar.
 */
import type { EventName } from './events.ts';
import type { HookName } from './hooks.ts';
import type { WpUserRow } from './payloads/context.ts';
import { gravatarUrl, type XprofileRow } from './xprofile.ts';

export interface ExampleCall {
  readonly hook: HookName;
  readonly args: readonly unknown[];
  /** The acting user: `BuildContext.actorId` and whose profile the example's `xprofile` is. */
  readonly actorId: number;
}

export const exampleTimestamp = '2024-01-15T10:30:00Z';

const at = '2024-01-15 10:30:00';
const later = '2024-01-15 11:00:00';
const portal = 'https://community.example.com/portal';

export const exampleUsers: Readonly<Record<number, WpUserRow>> = {
  1: user(1, 'ada', 'Ada', 'Admin', '2023-06-01 08:00:00'),
  2: user(2, 'bob', 'Bob', 'Builder', '2024-01-02 14:12:47'),
  5: user(5, 'carol', 'Carol', 'Jones', '2024-01-15 10:29:58'),
};

function user(ID: number, login: string, first: string, last: string, registered: string): WpUserRow {
  const names = { display_name: `${first} ${last}`, first_name: first, last_name: last };
  const user_url = ID === 2 ? 'https://example.com' : '';
  return {
    ID,
    user_login: login,
    user_email: `${login}@example.com`,
    user_url,
    user_registered: registered,
    ...names,
  };
}

/** Raw `fcom_xprofile` rows; user 5 has none yet (Fluent Community creates it on their first visit). */
export const exampleXprofileRows: Readonly<Record<number, XprofileRow>> = {
  1: profileRow(
    1,
    'ada',
    'Ada Admin',
    'a:3:{s:7:"website";s:0:"";s:11:"cover_photo";s:0:"";s:26:"short_description_rendered";s:0:"";}',
  ),
  2: profileRow(
    2,
    'bob',
    'Bob Builder',
    'a:6:{s:7:"website";s:19:"https://example.com";s:11:"cover_photo";s:0:"";s:26:"short_description_rendered";s:20:"<p>I build hooks</p>";s:8:"headline";s:16:"Builder of hooks";s:12:"social_links";a:2:{s:7:"twitter";s:4:"@bob";s:8:"linkedin";s:11:"bob-builder";}s:10:"badge_slug";a:1:{i:0;s:12:"early-member";}}',
  ),
};

function profileRow(user_id: number, username: string, display_name: string, meta: string): XprofileRow {
  const created_at = exampleUsers[user_id]?.user_registered;
  const short_description = user_id === 2 ? 'I build hooks' : '';
  const points = { total_points: user_id * 120, is_verified: user_id === 1 ? 1 : 0, status: 'active' };
  return {
    id: String(user_id),
    user_id,
    username,
    display_name,
    avatar: null,
    short_description,
    meta,
    created_at,
    ...points,
  };
}

/** A space as `space/created` passes it (fresh model), then as read back from the database. */
const freshSpace = {
  title: 'Product Updates',
  slug: 'product-updates',
  privacy: 'public',
  description: 'News from the team',
  parent_id: null,
  created_by: 1,
  type: 'community',
  created_at: '2024-01-10 09:00:00',
  updated_at: '2024-01-10 09:00:00',
  id: 8,
};
const space = { ...freshSpace, created_by: '1', logo: null, cover_photo: null, status: 'published' };

const post = {
  id: 123,
  user_id: '1',
  title: 'Welcome to our community!',
  slug: 'welcome-to-our-community',
  message: "We're excited to have you here...",
  message_rendered: "<p>We're excited to have you here...</p>",
  type: 'text',
  content_type: 'text',
  space_id: '8',
  privacy: 'public',
  status: 'published',
  is_sticky: 0,
  comments_count: 0,
  reactions_count: 0,
  created_at: at,
  updated_at: at,
  permalink: `${portal}/space/product-updates/post/welcome-to-our-community`,
  space,
};
const editedMessage = "We're excited to have you here! (edited)";
const edited = {
  ...post,
  message: editedMessage,
  message_rendered: `<p>${editedMessage}</p>`,
  updated_at: later,
};
const commented = { ...edited, comments_count: 1 };

/** A comment as `comment_added` passes it (fresh model), then as read back from the database. */
const freshComment = {
  post_id: 123,
  message: 'Thanks, glad to be here!',
  message_rendered: '<p>Thanks, glad to be here!</p>',
  type: 'comment',
  user_id: 2,
  status: 'published',
  created_at: later,
  updated_at: later,
  id: 456,
};
const comment = {
  ...freshComment,
  user_id: '2',
  parent_id: null,
  reactions_count: '0',
  content_type: 'text',
  is_sticky: 0,
};

const course = {
  id: 9,
  title: 'Getting Started',
  slug: 'getting-started',
  type: 'course',
  privacy: 'public',
};
const courseModel = { ...course, status: 'published', settings: { course_type: 'self_paced' } };

const adaProfile = {
  user_id: 1,
  username: 'ada',
  display_name: 'Ada Admin',
  avatar: gravatarUrl('ada@example.com'),
  permalink: `${portal}/u/ada`,
};
const follow = { follower_id: 2, followed_id: 1, created_at: later, updated_at: later, id: 1 };

const report = {
  reason: 'spam',
  explanation: 'Looks like spam',
  content_type: 'post',
  post_id: 123,
  parent_id: 0,
  user_id: 2,
  reports_count: 1,
  created_at: later,
  updated_at: later,
  id: 3,
};
const resolvedReport = {
  ...report,
  status: 'unpublished',
  meta: { updated_by: 1 },
  updated_at: '2024-01-15 11:30:00',
};

const dirtyMeta = 'a:1:{s:11:"last_edited";a:2:{s:7:"user_id";i:1;s:4:"time";s:19:"2024-01-15 11:00:00";}}';
const reaction = {
  user_id: 2,
  object_id: 123,
  type: 'like',
  object_type: 'feed',
  created_at: later,
  id: 789,
};

const edit = { message: edited.message, message_rendered: edited.message_rendered, meta: dirtyMeta };
const lesson = {
  id: 11,
  title: 'Set up your profile',
  slug: 'set-up-your-profile',
  space_id: '9',
  parent_id: '10',
};
const editedComment = {
  ...comment,
  message: 'Thanks, glad to be here! (edited)',
  message_rendered: '<p>Thanks, glad to be here! (edited)</p>',
};
const unfollow = { ...follow, follower_id: '2', followed_id: '1', level: '1' };

const call = (actorId: number, hook: HookName, ...args: unknown[]): ExampleCall => ({ hook, args, actorId });

export const exampleCalls: Readonly<Record<EventName, ExampleCall>> = {
  'feed.created': call(1, 'fluent_community/feed/created', post),
  'feed.updated': call(1, 'fluent_community/feed/updated', edited, edit),
  'feed.deleted': call(1, 'fluent_community/feed/deleted', '123'),
  'feed.pinned': call(1, 'fluent_community/feed/updated', { ...edited, is_sticky: 1 }, { is_sticky: 1 }),
  'feed.unpinned': call(1, 'fluent_community/feed/updated', edited, { is_sticky: 0 }),
  'comment.created': call(2, 'fluent_community/comment_added', freshComment, commented),
  'comment.updated': call(2, 'fluent_community/comment_updated', editedComment, commented),
  'comment.deleted': call(2, 'fluent_community/comment_deleted', '456', edited),
  'reaction.added': call(2, 'fluent_community/feed/react_added', reaction, commented),
  'reaction.removed': call(2, 'fluent_community/feed/react_removed', commented),
  'space.created': call(1, 'fluent_community/space/created', freshSpace),
  'space.updated': call(1, 'fluent_community/space/updated', { ...space, description: 'News and notes' }),
  'space.deleted': call(1, 'fluent_community/space/deleted', 8),
  'space.member_joined': call(2, 'fluent_community/space/joined', space, 2, 'self'),
  'space.member_left': call(2, 'fluent_community/space/user_left', space, 2, 'self'),
  'user.registered': call(5, 'user_register', 5),
  'user.profile_updated': call(2, 'profile_update', 2),
  'user.followed': call(2, 'fluent_community/followed_user', follow, adaProfile),
  'user.unfollowed': call(2, 'fluent_community/before_unfollowing_user', unfollow, adaProfile),
  'course.enrolled': call(2, 'fluent_community/course/enrolled', courseModel, 2, 'self'),
  'course.unenrolled': call(1, 'fluent_community/course/student_left', courseModel, '2', 'by_admin'),
  'lesson.completed': call(2, 'fluent_community/course/lesson_completed', lesson, 2),
  'report.created': call(2, 'fluent_community/content_moderation/created', report, post, 'post'),
  'report.resolved': call(1, 'fluent_community/report/unpublished', resolvedReport, {
    ...post,
    status: 'unpublished',
  }),
};

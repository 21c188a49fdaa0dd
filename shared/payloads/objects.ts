/** Allow-listed views of Fluent Community models: each copies named fields, casting ids and counts to integers. */
import type { z } from 'zod';
import type {
  commentData,
  commentSummary,
  contentSummary,
  courseSummary,
  feedData,
  feedSummary,
  profileSummary,
  spaceData,
  spaceSummary,
} from './schemas.ts';
import { int, record, text, timestamp, type Model } from './values.ts';

export function toSpaceSummary(space: Model): z.infer<typeof spaceSummary> {
  return {
    id: int(space.id),
    title: text(space.title),
    slug: text(space.slug),
    type: text(space.type),
    privacy: text(space.privacy),
  };
}

export function toSpace(space: Model): z.infer<typeof spaceData> {
  return {
    ...toSpaceSummary(space),
    description: text(space.description),
    status: text(space.status),
    parent_id: int(space.parent_id),
    created_by: int(space.created_by),
    logo: text(space.logo),
    cover_photo: text(space.cover_photo),
    created_at: timestamp(space.created_at),
    updated_at: timestamp(space.updated_at),
  };
}

export function toFeedSummary(feed: Model): z.infer<typeof feedSummary> {
  return {
    id: int(feed.id),
    title: text(feed.title),
    slug: text(feed.slug),
    space_id: int(feed.space_id),
    permalink: text(feed.permalink),
  };
}

export function toFeed(feed: Model): z.infer<typeof feedData> {
  const space = record(feed.space);
  return {
    id: int(feed.id),
    user_id: int(feed.user_id),
    title: text(feed.title),
    message: text(feed.message),
    space_id: int(feed.space_id),
    created_at: timestamp(feed.created_at),
    slug: text(feed.slug),
    message_rendered: text(feed.message_rendered),
    type: text(feed.type),
    content_type: text(feed.content_type),
    privacy: text(feed.privacy),
    status: text(feed.status),
    is_sticky: int(feed.is_sticky),
    comments_count: int(feed.comments_count),
    reactions_count: int(feed.reactions_count),
    permalink: text(feed.permalink),
    updated_at: timestamp(feed.updated_at),
    space: space && toSpaceSummary(space),
  };
}

export function toCommentSummary(comment: Model): z.infer<typeof commentSummary> {
  return {
    id: int(comment.id),
    post_id: int(comment.post_id),
    parent_id: int(comment.parent_id),
    user_id: int(comment.user_id),
    message: text(comment.message),
  };
}

/** A comment with a summary of its post; `post_id` falls back to the post's id. */
export function toComment(comment: Model, feed: Model | null): z.infer<typeof commentData> {
  const summary = toCommentSummary(comment);
  return {
    id: summary.id,
    user_id: summary.user_id,
    post_id: summary.post_id ?? (feed && int(feed.id)),
    parent_id: summary.parent_id,
    message: summary.message,
    message_rendered: text(comment.message_rendered),
    type: text(comment.type),
    content_type: text(comment.content_type),
    status: text(comment.status),
    is_sticky: int(comment.is_sticky),
    reactions_count: int(comment.reactions_count),
    created_at: timestamp(comment.created_at),
    updated_at: timestamp(comment.updated_at),
    feed: feed && toFeedSummary(feed),
  };
}

export function toCourseSummary(course: Model): z.infer<typeof courseSummary> {
  return {
    id: int(course.id),
    title: text(course.title),
    slug: text(course.slug),
    privacy: text(course.privacy),
    course_type: text(record(course.settings)?.course_type),
  };
}

export function toProfileSummary(profile: Model): z.infer<typeof profileSummary> {
  return {
    user_id: int(profile.user_id),
    username: text(profile.username),
    display_name: text(profile.display_name),
    avatar: text(profile.avatar),
    permalink: text(profile.permalink),
  };
}

/** A reported post (`type: 'post'`) or comment; a comment is told apart by its `post_id` when not stated. */
export function toContentSummary(content: Model, stated: string | null): z.infer<typeof contentSummary> {
  const type = stated === 'post' || stated === 'comment' ? stated : 'post_id' in content ? 'comment' : 'post';
  return {
    type,
    id: int(content.id),
    user_id: int(content.user_id),
    post_id: type === 'comment' ? int(content.post_id) : null,
    title: type === 'post' ? text(content.title) : null,
    message: text(content.message),
    status: text(content.status),
    permalink: text(content.permalink),
  };
}

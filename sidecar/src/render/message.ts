/**
 * The human message of each event, as plain text (each format escapes and cuts it for its destination): who did
 * what, where, the object's title and link, and the user's text to excerpt. Built from the payload alone.
 */
import { testEventName, type EventName } from '../../../shared/events.ts';
import { oneLine } from './text.ts';

export interface Message {
  readonly event: string;
  /** ISO 8601, as in the payload. */
  readonly timestamp: string;
  readonly actor: {
    readonly name: string;
    readonly avatar: string | null;
    readonly url: string | null;
  } | null;
  /** Who did what, where, without the object's title: "Ada Admin posted in Product Updates". One line. */
  readonly headline: string;
  /** The object's own title (a post's, a space's, a course's), one line, when it has one. */
  readonly title: string | null;
  /** What goes between headline and title: a space after "commented on", else a colon. */
  readonly joiner: ': ' | ' ';
  readonly url: string | null;
  /** User-written text (a post's or comment's body, a report's explanation), whole: formats excerpt it. */
  readonly body: string | null;
  readonly fields: readonly { readonly name: string; readonly value: string }[];
}

/** What a payload carries, read loosely: a value of the wrong type reads as absent. */
type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string | null =>
  typeof v === 'string' && v.trim() !== '' ? v : typeof v === 'number' ? String(v) : null;

/** An http(s) URL as a string, else null (a chat service refuses a message whose link is not one). */
export function httpUrl(v: unknown): string | null {
  if (typeof v !== 'string' || v.length > 2048) return null;
  try {
    const u = new URL(v);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch {
    return null;
  }
}

interface Parts {
  headline: string;
  title?: string | null;
  url?: string | null;
  body?: string | null;
  fields?: { name: string; value: string | null }[];
}

type Builder = (data: Obj, actor: string) => Parts;

const titleOf = (o: Obj) => str(o.title);
const inSpace = (space: Obj) => (str(space.title) ? ` in ${oneLine(str(space.title)!)}` : '');
const postTitle = (feed: Obj, fallback: string) => titleOf(feed) ?? fallback;

const post =
  (verb: string): Builder =>
  (d, actor) => ({
    headline: `${actor} ${verb}${inSpace(obj(d.space))}`,
    title: titleOf(d) ?? (d.id !== undefined ? `post #${String(d.id)}` : null),
    url: httpUrl(d.permalink),
    body: verb === 'posted' || verb === 'edited a post' ? str(d.message) : null,
  });

const comment =
  (verb: string): Builder =>
  (d, actor) => {
    const feed = obj(d.feed);
    return {
      headline: `${actor} ${verb}`,
      title: postTitle(feed, `post #${String(d.post_id ?? feed.id ?? '?')}`),
      url: httpUrl(feed.permalink),
      body: verb === 'deleted a comment on' ? null : str(d.message),
    };
  };

const membership =
  (self: string, other: string, where: string): Builder =>
  (d, actor) => {
    const target = obj(d[where]);
    const by = str(d.by);
    const own = by === 'self' || by === null;
    return {
      headline: own ? `${actor} ${self}` : `${actor} ${other.replace('USER', `user #${String(d.user_id)}`)}`,
      title: titleOf(target),
    };
  };

const follow =
  (verb: string): Builder =>
  (d, actor) => {
    const followed = obj(d.followed);
    return {
      headline: `${actor} ${verb}`,
      title: str(followed.display_name) ?? `user #${String(d.followed_id ?? '?')}`,
      url: httpUrl(followed.permalink),
    };
  };

const report =
  (verb: string): Builder =>
  (d, actor) => {
    const content = obj(d.content);
    const kind = str(d.content_type) ?? 'content';
    return {
      headline: `${actor} ${verb} a ${kind}`,
      title: titleOf(content) ?? `${kind} #${String(content.id ?? '?')}`,
      url: httpUrl(content.permalink),
      body: str(d.explanation),
      fields: [
        { name: 'Reason', value: str(d.reason) },
        { name: 'Reports', value: str(d.reports_count) },
        { name: 'Status', value: str(d.status) },
      ],
    };
  };

const builders: Record<EventName, Builder> = {
  'feed.created': post('posted'),
  'feed.updated': post('edited a post'),
  'feed.deleted': (d, actor) => ({ headline: `${actor} deleted post #${String(d.id ?? '?')}` }),
  'feed.pinned': post('pinned a post'),
  'feed.unpinned': post('unpinned a post'),
  'comment.created': comment('commented on'),
  'comment.updated': comment('edited a comment on'),
  'comment.deleted': comment('deleted a comment on'),
  'reaction.added': (d, actor) => ({
    headline:
      `${actor} reacted${str(d.type) ? ` (${oneLine(str(d.type)!)})` : ''} to ${d.comment ? 'a comment on' : ''}`.trimEnd(),
    title: postTitle(obj(d.feed), `post #${String(d.object_id ?? '?')}`),
    url: httpUrl(obj(d.feed).permalink),
  }),
  'reaction.removed': (d, actor) => ({
    headline: `${actor} removed a reaction from${d.comment ? ' a comment on' : ''}`,
    title: postTitle(obj(d.feed), `post #${String(d.object_id ?? '?')}`),
    url: httpUrl(obj(d.feed).permalink),
  }),
  'space.created': (d, actor) => ({
    headline: `${actor} created a space`,
    title: titleOf(d),
    body: str(d.description),
  }),
  'space.updated': (d, actor) => ({ headline: `${actor} updated a space`, title: titleOf(d) }),
  'space.deleted': (d, actor) => ({ headline: `${actor} deleted space #${String(d.id ?? '?')}` }),
  'space.member_joined': membership('joined', 'added USER to', 'space'),
  'space.member_left': membership('left', 'removed USER from', 'space'),
  'user.registered': (d) => ({
    headline: `${oneLine(str(d.display_name) ?? str(d.username) ?? 'A new member')} registered`,
    fields: [{ name: 'Username', value: str(d.username) }],
  }),
  'user.profile_updated': (d, actor) => ({
    headline: `${str(d.display_name) ? oneLine(str(d.display_name)!) : actor} updated their profile`,
  }),
  'user.followed': follow('followed'),
  'user.unfollowed': follow('unfollowed'),
  'course.enrolled': membership('enrolled in a course', 'enrolled USER in a course', 'course'),
  'course.unenrolled': membership('left a course', 'unenrolled USER from a course', 'course'),
  'lesson.completed': (d, actor) => ({
    headline: `${actor} completed a lesson`,
    title: titleOf(obj(d.lesson)),
  }),
  'report.created': report('reported'),
  'report.resolved': report('resolved a report on'),
};

/** The message of `payload` (the stored envelope, parsed). An event this version does not know reads generically. */
export function messageOf(payload: {
  event: string;
  timestamp: string;
  data: unknown;
  xprofile: unknown;
}): Message {
  const profile = obj(payload.xprofile);
  const data = obj(payload.data);
  const name = str(profile.display_name) ?? str(profile.username);
  const actorName = name ? oneLine(name) : 'Someone';
  let parts: Parts;
  if (payload.event === testEventName) {
    parts = { headline: 'Test message from Fluent Community Webhooks', body: str(data.message) };
  } else {
    const build = builders[payload.event as EventName] as Builder | undefined;
    parts = build ? build(data, actorName) : { headline: `${actorName}: ${payload.event}` };
  }
  return {
    event: payload.event,
    timestamp: payload.timestamp,
    actor: name ? { name: actorName, avatar: httpUrl(profile.avatar), url: null } : null,
    headline: oneLine(parts.headline),
    title: parts.title ? oneLine(parts.title) : null,
    joiner: /\b(on|to|from|joined|left|followed|unfollowed)$/.test(parts.headline) ? ' ' : ': ',
    url: parts.url ?? null,
    body: parts.body ?? null,
    fields: (parts.fields ?? []).flatMap((f) => (f.value ? [{ name: f.name, value: oneLine(f.value) }] : [])),
  };
}

/** The message as one plain line: headline and title. */
export function lineOf(m: Message): string {
  return m.title ? `${m.headline}${m.joiner}${m.title}` : m.headline;
}

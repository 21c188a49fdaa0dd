/**
 * What each recorded action call (test/fixtures/hook-args) implies about the event's `data`, written out apart
 * from the payload builders so that a builder or normaliser that empties a field, or takes a wrong id, fails.
 *
 * Most of `data` copies one model of the call: `mirror` names, for each object of `data`, the argument it copies
 * (`'0'` is the first argument, `'1.space'` that argument's `space` relation). Every field of such an object that
 * the model has must equal the model's value, as an integer where `data` carries a number (Fluent Community
 * serialises many ids as strings), and every field it lacks must be null. Fields derived otherwise are listed in
 * `values` with what they must be.
 * A field of `data` that neither accounts for is reported, so nothing in `data` goes unchecked.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fixturesDir } from './rest.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Who fired the call and what WordPress knows of the users the call names. */
export interface FixtureContext {
  readonly actorId: number;
  /** WordPress users by id, as `GET /wp/v2/users/{id}?context=edit` answers (absent: no such user). */
  readonly users: Readonly<
    Record<
      number,
      | {
          username: string;
          email: string;
          name: string;
          first_name: string;
          last_name: string;
          url: string;
          registered_date: string;
        }
      | undefined
    >
  >;
}

interface Spec {
  readonly mirror?: Readonly<Record<string, string>>;
  readonly values?: (args: Json[], ctx: FixtureContext) => Record<string, Json>;
}

const int = (value: Json): number => Number(value);

/** WordPress REST's UTC date (`2026-01-02T03:04:05+00:00`) as the payloads write it (`2026-01-02 03:04:05`). */
export const wpDate = (iso: string): string => iso.slice(0, 19).replace('T', ' ');
const arg = (args: Json[], at: string): Json =>
  at.split('.').reduce<Json>((v, key) => (v as JsonObject)?.[key] ?? null, args as Json);

/** A post summary (`feed` of comments and reactions, `content` of reports) copies the post. */
const feedOnComment = { feed: '1' } as const;

const specs: Record<string, Spec> = {
  'feed.created': { mirror: { '': '0', space: '0.space' } },
  'feed.updated': {
    mirror: { '': '0', space: '0.space' },
    values: (args) => ({ changed_fields: Object.keys(args[1] as JsonObject) }),
  },
  'feed.deleted': { values: (args) => ({ id: int(args[0]!) }) },
  // The change (`is_sticky`) is the second argument; the post as loaded may still have the old value.
  'feed.pinned': {
    mirror: { '': '0', space: '0.space' },
    values: (args) => ({ is_sticky: int(arg(args, '1.is_sticky')) }),
  },
  'feed.unpinned': {
    mirror: { '': '0', space: '0.space' },
    values: (args) => ({ is_sticky: int(arg(args, '1.is_sticky')) }),
  },
  'comment.created': { mirror: { '': '0', ...feedOnComment } },
  'comment.updated': { mirror: { '': '0', ...feedOnComment } },
  'comment.deleted': {
    mirror: feedOnComment,
    values: (args) => ({ id: int(args[0]!), post_id: int(arg(args, '1.id')) }),
  },
  'reaction.added': {
    mirror: { '': '0', feed: '1' },
    values: () => ({ object_type: 'feed', comment: null }),
  },
  'variants/reaction.added.comment': {
    mirror: { '': '0', comment: '1', feed: '2' },
    values: () => ({ object_type: 'comment' }),
  },
  // Fluent Community passes no reaction on removal: only likes are removed, by the current user.
  'reaction.removed': {
    mirror: { feed: '0' },
    values: (args, ctx) => ({
      object_type: 'feed',
      object_id: int(arg(args, '0.id')),
      type: 'like',
      user_id: ctx.actorId,
      comment: null,
    }),
  },
  'variants/reaction.removed.comment': {
    mirror: { comment: '0', feed: '1' },
    values: (args, ctx) => ({
      object_type: 'comment',
      object_id: int(arg(args, '0.id')),
      type: 'like',
      user_id: ctx.actorId,
    }),
  },
  'space.created': { mirror: { '': '0' } },
  'space.updated': { mirror: { '': '0' } },
  'space.deleted': { values: (args) => ({ id: int(args[0]!) }) },
  'space.member_joined': {
    mirror: { space: '0' },
    values: (args) => ({ user_id: int(args[1]!), by: args[2]! }),
  },
  'space.member_left': {
    mirror: { space: '0' },
    values: (args) => ({ user_id: int(args[1]!), by: args[2]! }),
  },
  'course.enrolled': { mirror: { course: '0' }, values: course },
  'course.unenrolled': { mirror: { course: '0' }, values: course },
  // A lesson's section is its parent and its course the space it is in.
  'lesson.completed': {
    mirror: { lesson: '0' },
    values: (args) => ({
      user_id: int(args[1]!),
      'lesson.course_id': int(arg(args, '0.space_id')),
      'lesson.section_id': int(arg(args, '0.parent_id')),
    }),
  },
  'user.registered': { values: (args, ctx) => wpUser(int(args[0]!), ctx) },
  'user.profile_updated': { values: (args, ctx) => wpUser(int(args[0]!), ctx) },
  'user.followed': { mirror: { '': '0', followed: '1' } },
  'user.unfollowed': { mirror: { '': '0', followed: '1' } },
  // A report names what was reported as `content` (here the post): `type` is the report's content type.
  'report.created': {
    mirror: { '': '0', content: '1' },
    values: (args) => ({ 'content.type': arg(args, '0.content_type'), 'content.post_id': null }),
  },
  'report.resolved': {
    mirror: { '': '0', content: '1' },
    values: (args, ctx) => ({
      resolved_by: ctx.actorId,
      'content.type': arg(args, '0.content_type'),
      'content.post_id': null,
    }),
  },
};

/** An enrolment: who, how, and the course's type, which Fluent Community keeps in the course's settings. */
function course(args: Json[]): Record<string, Json> {
  return { user_id: int(args[1]!), by: args[2]!, 'course.course_type': arg(args, '0.settings.course_type') };
}

/** `data` of a WordPress user event: the user's fields as WordPress has them, or the id alone for a missing user. */
function wpUser(id: number, ctx: FixtureContext): Record<string, Json> {
  const user = ctx.users[id];
  if (!user) return { id };
  return {
    id,
    username: user.username,
    email: user.email,
    display_name: user.name,
    first_name: user.first_name,
    last_name: user.last_name,
    url: user.url,
    registered_at: wpDate(user.registered_date),
  };
}

/** The fixture's arguments as logged (with `__class` markers, which no field of `data` is named). */
export function fixtureArgs(fixture: string): Json[] {
  return (JSON.parse(readFileSync(path.join(fixturesDir, `${fixture}.json`), 'utf8')) as { args: Json[] })
    .args;
}

/** The user ids a fixture's WordPress user events look up. */
export function fixtureUserIds(fixture: string): number[] {
  return fixture.startsWith('user.registered') || fixture.startsWith('user.profile_updated')
    ? [int(fixtureArgs(fixture)[0]!)]
    : [];
}

const isObject = (value: Json | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Every way `data` differs from what the fixture implies, as `path: got … want …` lines, and the number of
 * fields compared; no lines means every field of `data` was compared and equal.
 */
export function compareWithFixture(
  fixture: string,
  data: JsonObject,
  ctx: FixtureContext,
): { problems: string[]; compared: number } {
  const spec = specs[fixture];
  if (!spec) return { problems: [`no expectation written for fixture ${fixture}`], compared: 0 };
  const args = fixtureArgs(fixture);
  const values = spec.values?.(args, ctx) ?? {};
  const mirror = spec.mirror ?? {};
  const problems: string[] = [];
  let compared = 0;
  const at = (p: string) =>
    p === ''
      ? data
      : p.split('.').reduce<Json | undefined>((v, key) => (isObject(v) ? v[key] : undefined), data);
  const check = (p: string, got: Json | undefined, want: Json) => {
    compared++;
    if (JSON.stringify(got) !== JSON.stringify(want))
      problems.push(`data.${p}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
  };

  for (const [p, want] of Object.entries(values)) check(p, at(p), want);
  const walk = (p: string, object: JsonObject) => {
    const source = mirror[p] === undefined ? undefined : arg(args, mirror[p]!);
    if (mirror[p] !== undefined && !isObject(source))
      problems.push(`fixture ${fixture}: no object at ${mirror[p]}`);
    for (const [key, got] of Object.entries(object)) {
      const full = p === '' ? key : `${p}.${key}`;
      if (full in values) continue;
      if (full in mirror) {
        if (isObject(got)) walk(full, got);
        else problems.push(`data.${full}: got ${JSON.stringify(got)}, want the object of ${mirror[full]}`);
        continue;
      }
      if (isObject(source) && key in source && !isObject(source[key]!) && source[key] !== '…') {
        const want = source[key]!;
        check(
          full,
          got,
          typeof got === 'number' && typeof want === 'string' && /^-?\d+$/.test(want) ? Number(want) : want,
        );
        continue;
      }
      // A field the model lacks (a fresh model has only the columns it was saved with) has nothing to copy.
      if (isObject(source) && !(key in source)) {
        check(full, got, null);
        continue;
      }
      problems.push(`data.${full}: ${JSON.stringify(got)} is not accounted for by fixture ${fixture}`);
    }
  };
  walk('', data);
  return { problems, compared };
}

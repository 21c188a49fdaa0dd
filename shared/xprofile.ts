/**
 * The payload's `xprofile`: a user's Fluent Community profile, built from a raw `{prefix}fcom_xprofile` row
 * (meta PHP-serialized) or, for users whose row does not exist yet, from their WordPress user.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { WpUserRow } from './payloads/context.ts';
import { int, record, storedDateTime, text, timestamp, type Model } from './payloads/values.ts';
import { decodePhpArray } from './php-serialized.ts';

const nullableText = z.string().nullable();

export const xprofileMetaSchema = z.strictObject({
  website: nullableText,
  cover_photo: nullableText,
  headline: nullableText,
  short_description_rendered: nullableText,
  social_links: z.record(z.string(), z.string()).nullable().describe('e.g. {"twitter": "@handle"}'),
  badge_slug: z.array(z.string()).nullable(),
});

export const xprofileSchema = z.strictObject({
  user_id: z.int().nullable(),
  total_points: z.int().nullable(),
  is_verified: z.int().nullable(),
  status: nullableText.describe('active, blocked or pending'),
  display_name: nullableText,
  username: nullableText.describe('Community username; may differ from the WordPress login'),
  avatar: nullableText,
  created_at: z.string().regex(storedDateTime).nullable(),
  short_description: nullableText,
  meta: xprofileMetaSchema,
  badge: z.null(),
});

export type Xprofile = z.infer<typeof xprofileSchema>;
export type XprofileMeta = z.infer<typeof xprofileMetaSchema>;

/**
 * A `{prefix}fcom_xprofile` row as the database driver returns it: columns `id, user_id, total_points, username,
 * status, is_verified, display_name, avatar, short_description, last_activity, meta, created_at, updated_at`.
 * `meta` is the PHP-serialized text (or Buffer); an already decoded object (a model's `toArray()`) works too.
 */
export type XprofileRow = Readonly<Record<string, unknown>>;

/** The WordPress user fields a profile falls back on. */
export type XprofileUser = Pick<
  WpUserRow,
  'ID' | 'user_login' | 'user_email' | 'display_name' | 'user_registered'
>;

/** Gravatar's 128px image for an e-mail address ("mystery person" when it has none); null without an address. */
export function gravatarUrl(email: string | null | undefined): string | null {
  if (typeof email !== 'string' || email.trim() === '') return null;
  const hash = createHash('md5').update(email.trim().toLowerCase()).digest('hex');
  return `https://www.gravatar.com/avatar/${hash}?s=128&d=mp`;
}

/**
 * The spec's `xprofile` object. A null avatar becomes the user's Gravatar when their e-mail is known. Without a
 * row (Fluent Community creates it lazily) the profile is derived from the WordPress user; with neither, null.
 */
export function buildXprofile(
  row: XprofileRow | null | undefined,
  wpUser?: XprofileUser | null,
): Xprofile | null {
  if (!row) return wpUser ? fromWpUser(wpUser) : null;
  return {
    user_id: int(row.user_id) ?? (wpUser ? int(wpUser.ID) : null),
    total_points: int(row.total_points),
    is_verified: int(row.is_verified),
    status: text(row.status),
    display_name: text(row.display_name),
    username: text(row.username),
    avatar: text(row.avatar) || gravatarUrl(wpUser?.user_email),
    created_at: timestamp(row.created_at),
    short_description: text(row.short_description),
    meta: buildMeta(row.meta),
    badge: null,
  };
}

/** What Fluent Community would create for the user: an active profile with no points. */
function fromWpUser(user: XprofileUser): Xprofile {
  return {
    user_id: int(user.ID),
    total_points: 0,
    is_verified: 0,
    status: 'active',
    display_name: text(user.display_name),
    username: text(user.user_login),
    avatar: gravatarUrl(user.user_email),
    created_at: timestamp(user.user_registered),
    short_description: null,
    meta: buildMeta(null),
    badge: null,
  };
}

/** The allow-listed meta keys; other keys (and any value of the wrong type) are dropped. */
export function buildMeta(meta: unknown): XprofileMeta {
  const decoded: Model =
    typeof meta === 'string' || meta instanceof Uint8Array ? decodePhpArray(meta) : (record(meta) ?? {});
  return {
    website: text(decoded.website),
    cover_photo: text(decoded.cover_photo),
    headline: text(decoded.headline),
    short_description_rendered: text(decoded.short_description_rendered),
    social_links: stringMap(decoded.social_links),
    badge_slug: stringList(decoded.badge_slug),
  };
}

const linkKey = /^[A-Za-z0-9_-]{1,32}$/;

/** A PHP array of strings keyed by network; an empty PHP array decodes as a list, so it is `{}` too. */
function stringMap(value: unknown): Record<string, string> | null {
  if (Array.isArray(value) && value.length === 0) return {};
  const map = record(value);
  if (map === null) return null;
  const entries = Object.entries(map).filter(
    (entry): entry is [string, string] => linkKey.test(entry[0]) && typeof entry[1] === 'string',
  );
  return Object.fromEntries(entries);
}

function stringList(value: unknown): string[] | null {
  const list = Array.isArray(value) ? value : record(value) ? Object.values(value as Model) : null;
  return list === null ? null : list.filter((item): item is string => typeof item === 'string');
}

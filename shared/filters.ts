/**
 * A webhook's `filters`: which of its subscribed events reach it, by the space they happened in and by who acted.
 * The language is three lists, no code: `spaces` (ids), `privacy` (values) and `exclude_roles` (WordPress roles).
 * The sidecar applies them at fan-out, in SQL (db/filters.ts); `filterVerdict` here is the same rule in
 * TypeScript, for the test route and for tests that hold the two to each other.
 */
import { z } from 'zod';

/** Fluent Community's space privacy values (`SpaceController::create` validates `in:public,private,secret`). */
export const spacePrivacyValues = ['public', 'private', 'secret'] as const;
export type SpacePrivacy = (typeof spacePrivacyValues)[number];

/** Most space ids (or roles) one webhook may list. */
export const maxFilterSpaces = 100;

/** A WordPress role slug, as `sanitize_key` leaves it. */
const roleSlug = /^[a-z0-9_-]{1,64}$/;

/** The space an event happened in, as recorded with the event when it was stored. */
export interface EventScope {
  /** The space, course or (for lessons) course the event happened in; null when it happened in none. */
  readonly space_id: number | null;
  /** That space's privacy at event time; null when it could not be read (privacy filters then leave it out). */
  readonly privacy: string | null;
  /** The space's parent (its space group); null when it has none. */
  readonly parent_id: number | null;
}

export const noScope: EventScope = { space_id: null, privacy: null, parent_id: null };

export interface Filters {
  spaces?: number[];
  privacy?: SpacePrivacy[];
  exclude_roles?: string[];
}

const keys = ['spaces', 'privacy', 'exclude_roles'] as const;

const list = (value: unknown) => Array.isArray(value) && value.length <= maxFilterSpaces;

/**
 * Checks a `filters` value as given; each problem names its field (`filters.privacy[1]`). Written as one check
 * rather than a zod object so that the first message always names the field and the value that failed.
 */
function problem(value: unknown): string | null {
  if (value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value))
    return 'filters must be an object with the optional keys spaces, privacy and exclude_roles.';
  const unknown = Object.keys(value).filter((key) => !(keys as readonly string[]).includes(key));
  if (unknown.length)
    return `filters has unknown key(s): ${unknown.slice(0, 5).join(', ')} (known: ${keys.join(', ')}).`;
  const { spaces, privacy, exclude_roles: roles } = value as Record<string, unknown>;
  if (spaces !== undefined) {
    if (!list(spaces)) return `filters.spaces must be a list of at most ${maxFilterSpaces} space ids.`;
    const bad = (spaces as unknown[]).findIndex(
      (id) => typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1,
    );
    if (bad >= 0)
      return `filters.spaces[${bad}] must be a positive integer space id, not ${JSON.stringify((spaces as unknown[])[bad])?.slice(0, 40)}.`;
  }
  if (privacy !== undefined) {
    if (!list(privacy)) return `filters.privacy must be a list of ${spacePrivacyValues.join(', ')}.`;
    const bad = (privacy as unknown[]).findIndex(
      (p) => !(spacePrivacyValues as readonly unknown[]).includes(p),
    );
    if (bad >= 0)
      return `filters.privacy[${bad}] must be one of ${spacePrivacyValues.join(', ')}, not ${JSON.stringify((privacy as unknown[])[bad])?.slice(0, 40)}.`;
  }
  if (roles !== undefined) {
    if (!list(roles)) return `filters.exclude_roles must be a list of at most ${maxFilterSpaces} role names.`;
    const bad = (roles as unknown[]).findIndex((r) => typeof r !== 'string' || !roleSlug.test(r));
    if (bad >= 0)
      return `filters.exclude_roles[${bad}] must be a WordPress role name (lowercase letters, digits, _ and -), not ${JSON.stringify((roles as unknown[])[bad])?.slice(0, 40)}.`;
  }
  return null;
}

/** Sorted, without duplicates; an empty list is no filter (the key is dropped), as is `null` or `{}`. */
function normalise(value: unknown): Filters {
  const given = (value ?? {}) as Filters;
  const out: Filters = {};
  if (given.spaces?.length) out.spaces = [...new Set(given.spaces)].sort((a, b) => a - b);
  if (given.privacy?.length) out.privacy = spacePrivacyValues.filter((p) => given.privacy!.includes(p));
  if (given.exclude_roles?.length) out.exclude_roles = [...new Set(given.exclude_roles)].sort();
  return out;
}

/** The `filters` field of a create or update body (an object in JSON Schema, for WordPress's route index). */
export const filtersInput = z
  .unknown()
  .superRefine((value, ctx) => {
    const message = problem(value);
    if (message) ctx.addIssue({ code: 'custom', message });
  })
  .transform(normalise)
  .pipe(
    z.object({
      spaces: z.array(z.int().positive()).optional().describe('Space, course or space group ids.'),
      privacy: z.array(z.enum(spacePrivacyValues)).optional().describe('Space privacy values that pass.'),
      exclude_roles: z.array(z.string()).optional().describe('WordPress roles whose actions do not pass.'),
    }),
  )
  .meta({ type: 'object' });

/** `filters` as the API shows it. */
export const filtersView = z.object({
  spaces: z.array(z.int()).optional(),
  privacy: z.array(z.enum(spacePrivacyValues)).optional(),
  exclude_roles: z.array(z.string()).optional(),
});

/** A listed space that exists, with what the admin screen shows of it. */
export const filterSpace = z.object({
  id: z.int(),
  title: z.string(),
  slug: z.string(),
  type: z.string().nullable(),
  privacy: z.string().nullable(),
});
export type FilterSpace = z.infer<typeof filterSpace>;

export type FilterVerdict = { pass: true } | { pass: false; reason: string };

/**
 * Whether an event in `scope`, done by a user with `actorRoles`, reaches a webhook with `filters`: not when the
 * actor has one of `exclude_roles`; otherwise an event in no space always does, and one in a space when its space
 * (or the space's group) is listed in `spaces` and its privacy in `privacy`, when given. An event whose space's
 * privacy could not be read does not pass a privacy filter. db/filters.ts says the same in SQL.
 */
export function filterVerdict(
  filters: Filters,
  scope: EventScope,
  actorRoles: readonly string[] = [],
): FilterVerdict {
  const excluded = actorRoles.find((role) => filters.exclude_roles?.includes(role));
  if (excluded !== undefined)
    return { pass: false, reason: `the acting user is ${excluded}, in filters.exclude_roles` };
  if (scope.space_id === null) return { pass: true };
  const spaces = filters.spaces ?? [];
  if (
    spaces.length > 0 &&
    !spaces.includes(scope.space_id) &&
    !(scope.parent_id !== null && spaces.includes(scope.parent_id))
  ) {
    return { pass: false, reason: `space ${scope.space_id} is not in filters.spaces` };
  }
  const privacy = filters.privacy ?? [];
  if (privacy.length > 0 && !(privacy as readonly (string | null)[]).includes(scope.privacy)) {
    return {
      pass: false,
      reason: `space ${scope.space_id} is ${scope.privacy ?? 'of unknown privacy'}, not in filters.privacy`,
    };
  }
  return { pass: true };
}

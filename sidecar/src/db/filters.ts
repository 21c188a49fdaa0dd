/** SQL for webhook filters: storing them, the fan-out's filter condition, and reads of Fluent Community's spaces. */
import type { RowDataPacket } from 'mysql2';
import { decodePhpArray } from '../../../shared/php-serialized.ts';
import type { EventScope, FilterSpace, Filters } from '../../../shared/filters.ts';
import type { SpaceRow } from '../../../shared/scope.ts';
import type { Conn, Tables } from './pool.ts';

/** The filter columns of a webhook row (migration 007). */
export interface FilterColumns {
  /** The normalised filters as JSON; null when the webhook has none. */
  filters: string | null;
}

/** A webhook's filters as stored; `{}` when it has none or the stored text is unreadable. */
export function storedFilters(row: FilterColumns): Filters {
  if (!row.filters) return {};
  try {
    return JSON.parse(row.filters) as Filters;
  } catch {
    return {};
  }
}

/**
 * Writes a webhook's filters: the JSON the API shows, the columns and rows the fan-out reads. `fresh`: the webhook
 * was just inserted and has no space rows yet (no DELETE first, as for its subscriptions: see insertSubscriptions).
 */
export async function writeFilters(
  db: Conn,
  t: Tables,
  id: number,
  filters: Filters,
  fresh: boolean,
): Promise<void> {
  const spaces = filters.spaces ?? [];
  const privacy = filters.privacy ?? [];
  const roles = filters.exclude_roles ?? [];
  const json = spaces.length || privacy.length || roles.length ? JSON.stringify(filters) : null;
  await db.query(
    `UPDATE ${t.webhooks} SET filters = ?, filter_spaces = ?, filter_privacy = ?, filter_roles = ? WHERE id = ?`,
    [
      json,
      spaces.length > 0 ? 1 : 0,
      privacy.length ? privacy.join(',') : null,
      roles.length > 0 ? 1 : 0,
      id,
    ],
  );
  if (!fresh) await deleteFilterRows(db, t, id);
  if (spaces.length)
    await db.query(`INSERT INTO ${t.webhookSpaces} (webhook_id, space_id) VALUES ?`, [
      spaces.map((space) => [id, space]),
    ]);
  if (roles.length)
    await db.query(`INSERT INTO ${t.webhookRoles} (webhook_id, role) VALUES ?`, [
      roles.map((role) => [id, role]),
    ]);
}

export async function deleteFilterRows(db: Conn, t: Tables, id: number): Promise<void> {
  await db.query(`DELETE FROM ${t.webhookSpaces} WHERE webhook_id = ?`, [id]);
  await db.query(`DELETE FROM ${t.webhookRoles} WHERE webhook_id = ?`, [id]);
}

/**
 * The fan-out's filter condition on a webhook `w` and an event `e` (shared/filters.ts `filterVerdict` in SQL): no
 * role of the event's actor may be excluded; an event in no space passes; else its space or the space's group must
 * be listed when the webhook lists spaces, and its privacy must be listed when the webhook lists privacy values.
 * FIND_IN_SET of a NULL privacy (unreadable at event time) is NULL, so such an event does not pass a privacy filter.
 * The flag columns come first so that a webhook without a list costs no subquery; with one, the subquery reads a
 * range of the list table's primary key.
 */
export function fanOutFilter(t: Tables): string {
  return `(w.filter_roles = 0 OR e.actor_roles IS NULL OR NOT EXISTS (SELECT 1 FROM ${t.webhookRoles} r
       WHERE r.webhook_id = w.id AND LOCATE(CONCAT(',', r.role, ','), e.actor_roles) > 0))
     AND (e.space_id IS NULL
       OR ((w.filter_privacy IS NULL OR FIND_IN_SET(e.space_privacy, w.filter_privacy) > 0)
         AND (w.filter_spaces = 0 OR EXISTS (SELECT 1 FROM ${t.webhookSpaces} f
           WHERE f.webhook_id = w.id AND f.space_id IN (e.space_id, e.space_parent_id)))))`;
}

const noTable = (error: unknown) => (error as { errno?: number }).errno === 1146; // ER_NO_SUCH_TABLE

/** The spaces among `ids` that exist in Fluent Community's table (none when Fluent Community is absent). */
export async function selectFilterSpaces(db: Conn, t: Tables, ids: number[]): Promise<FilterSpace[]> {
  if (ids.length === 0) return [];
  try {
    const [rows] = await db.query<RowDataPacket[]>(
      `SELECT id, title, slug, type, privacy FROM ${t.fcomSpaces} WHERE id IN (?) ORDER BY id`,
      [ids],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      title: String(r.title),
      slug: String(r.slug),
      type: r.type === null ? null : String(r.type),
      privacy: r.privacy === null ? null : String(r.privacy),
    }));
  } catch (error) {
    if (noTable(error)) return [];
    throw error;
  }
}

/** One space's privacy and group; null when it does not exist (or Fluent Community's table does not). */
export async function selectSpace(db: Conn, t: Tables, id: number): Promise<SpaceRow | null> {
  try {
    const [rows] = await db.query<RowDataPacket[]>(
      `SELECT id, privacy, parent_id FROM ${t.fcomSpaces} WHERE id = ?`,
      [id],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      id: Number(row.id),
      privacy: row.privacy === null ? null : String(row.privacy),
      parent_id: row.parent_id === null ? null : Number(row.parent_id),
    };
  } catch (error) {
    if (noTable(error)) return null;
    throw error;
  }
}

/** A post's space id; null for a timeline post, a post that does not exist, or no Fluent Community table. */
export async function selectPostSpace(db: Conn, t: Tables, postId: number): Promise<number | null> {
  try {
    const [rows] = await db.query<RowDataPacket[]>(`SELECT space_id FROM ${t.fcomPosts} WHERE id = ?`, [
      postId,
    ]);
    const spaceId = rows[0]?.space_id;
    return spaceId === null || spaceId === undefined ? null : Number(spaceId);
  } catch (error) {
    if (noTable(error)) return null;
    throw error;
  }
}

/** Role names as stored on an event: `,administrator,editor,`, at most 255 characters (whole names only). */
export function rolesColumn(roles: readonly string[]): string | null {
  if (roles.length === 0) return null;
  let out = ',';
  for (const role of roles) if (out.length + role.length + 1 <= 255) out += `${role},`;
  return out;
}

const roleName = /^[a-z0-9_-]{1,64}$/;

/**
 * A user's WordPress roles: the keys granted in their `{prefix}capabilities` meta (a PHP-serialized array, e.g.
 * `a:1:{s:13:"administrator";b:1;}`), which are their roles and any capability granted to them alone. None for a
 * user without the meta.
 */
export async function selectUserRoles(db: Conn, t: Tables, userId: number): Promise<string[]> {
  let rows: RowDataPacket[];
  try {
    [rows] = await db.query<RowDataPacket[]>(
      `SELECT meta_value FROM ${t.usermeta} WHERE user_id = ? AND meta_key = ? LIMIT 1`,
      [userId, t.capabilitiesKey],
    );
  } catch (error) {
    if (noTable(error)) return [];
    throw error;
  }
  const meta = rows[0]?.meta_value;
  if (typeof meta !== 'string') return [];
  return Object.entries(decodePhpArray(meta))
    .filter(([role, granted]) => granted === true && roleName.test(role))
    .map(([role]) => role)
    .sort();
}

/** The filter columns an event row stores (migration 007), in eventsInsert's order. */
export type FilterFacts = [
  spaceId: number | null,
  privacy: string | null,
  parentId: number | null,
  actorRoles: string | null,
];

export function factsColumns(scope: EventScope, actorRoles: readonly string[]): FilterFacts {
  return [scope.space_id, scope.privacy?.slice(0, 16) ?? null, scope.parent_id, rolesColumn(actorRoles)];
}

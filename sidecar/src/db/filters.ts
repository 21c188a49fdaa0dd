/** SQL for webhook filters: storing them, the fan-out's filter condition, and reads of Fluent Community's spaces. */
import type { RowDataPacket } from 'mysql2';
import type { FilterSpace, Filters } from '../../../shared/filters.ts';
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
  const json = spaces.length || privacy.length ? JSON.stringify(filters) : null;
  await db.query(`UPDATE ${t.webhooks} SET filters = ?, filter_spaces = ?, filter_privacy = ? WHERE id = ?`, [
    json,
    spaces.length > 0 ? 1 : 0,
    privacy.length ? privacy.join(',') : null,
    id,
  ]);
  if (!fresh) await db.query(`DELETE FROM ${t.webhookSpaces} WHERE webhook_id = ?`, [id]);
  if (spaces.length)
    await db.query(`INSERT INTO ${t.webhookSpaces} (webhook_id, space_id) VALUES ?`, [
      spaces.map((space) => [id, space]),
    ]);
}

export async function deleteFilterRows(db: Conn, t: Tables, id: number): Promise<void> {
  await db.query(`DELETE FROM ${t.webhookSpaces} WHERE webhook_id = ?`, [id]);
}

/**
 * The fan-out's filter condition on a webhook `w` and an event `e` (shared/filters.ts `filterVerdict` in SQL): an
 * event in no space passes; else its space or the space's group must be listed when the webhook lists spaces, and
 * its privacy must be listed when the webhook lists privacy values. FIND_IN_SET of a NULL privacy (unreadable at
 * event time) is NULL, so such an event does not pass a privacy filter. The flag column comes first so that a
 * webhook without a spaces filter costs no subquery; with one, the subquery is a probe of the primary key.
 */
export function fanOutFilter(t: Tables): string {
  return `(e.space_id IS NULL
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

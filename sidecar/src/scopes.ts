/** Event scopes (shared/scope.ts) read against this site's tables, memoised for one batch of events. */
import { exampleCalls } from '../../shared/event-examples.ts';
import type { EventName } from '../../shared/events.ts';
import { filterVerdict, type EventScope, type Filters } from '../../shared/filters.ts';
import { eventScope, type ScopeReader, type SpaceRow } from '../../shared/scope.ts';
import { selectPostSpace, selectSpace } from './db/filters.ts';
import type { Conn, Tables } from './db/pool.ts';

/** A reader of Fluent Community's spaces and posts; each space or post of a batch is read once. */
export function createScopeReader(db: Conn, t: Tables): ScopeReader {
  const spaces = new Map<number, Promise<SpaceRow | null>>();
  const posts = new Map<number, Promise<number | null>>();
  const memo = <T>(cache: Map<number, Promise<T>>, id: number, read: () => Promise<T>): Promise<T> => {
    let value = cache.get(id);
    if (!value) cache.set(id, (value = read()));
    return value;
  };
  return {
    space: (id) => memo(spaces, id, () => selectSpace(db, t, id)),
    postSpace: (id) => memo(posts, id, () => selectPostSpace(db, t, id)),
  };
}

/** The columns an event row stores its scope in (migration 007), in eventsInsert's order. */
export function scopeColumns(scope: EventScope): [number | null, string | null, number | null] {
  return [scope.space_id, scope.privacy?.slice(0, 16) ?? null, scope.parent_id];
}

/**
 * Whether the example of `event` (shared/event-examples.ts, the one the docs show) would reach a webhook with
 * `filters`, and the space its filters see there (a lesson's course is read from this site's tables).
 */
export async function exampleFilterVerdict(db: Conn, t: Tables, filters: Filters, event: EventName) {
  const call = exampleCalls[event];
  const space = await eventScope(event, call.hook, call.args, createScopeReader(db, t));
  const verdict = filterVerdict(filters, space);
  return { event, filtered_out: !verdict.pass, reason: verdict.pass ? null : verdict.reason, space };
}

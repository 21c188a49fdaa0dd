/**
 * What webhook filters see of an event, read when it is stored: its space (shared/scope.ts) and its actor's roles,
 * against this site's tables, each space, post and user read once per batch.
 */
import { exampleCalls } from '../../shared/event-examples.ts';
import type { EventName } from '../../shared/events.ts';
import { filterVerdict, type Filters } from '../../shared/filters.ts';
import { eventScope, type ScopeReader, type SpaceRow } from '../../shared/scope.ts';
import type { HookCall } from '../../shared/schemas.ts';
import {
  factsColumns,
  selectPostSpace,
  selectSpace,
  selectUserRoles,
  type FilterFacts,
} from './db/filters.ts';
import type { Conn, Tables } from './db/pool.ts';

/** Reads for one batch of events: spaces and posts (for scopes) and users' roles. */
export interface FactsReader extends ScopeReader {
  roles(userId: number): Promise<string[]>;
}

export function createFactsReader(db: Conn, t: Tables): FactsReader {
  const spaces = new Map<number, Promise<SpaceRow | null>>();
  const posts = new Map<number, Promise<number | null>>();
  const roles = new Map<number, Promise<string[]>>();
  const memo = <T>(cache: Map<number, Promise<T>>, id: number, read: () => Promise<T>): Promise<T> => {
    let value = cache.get(id);
    if (!value) cache.set(id, (value = read()));
    return value;
  };
  return {
    space: (id) => memo(spaces, id, () => selectSpace(db, t, id)),
    postSpace: (id) => memo(posts, id, () => selectPostSpace(db, t, id)),
    roles: (id) => memo(roles, id, () => selectUserRoles(db, t, id)),
  };
}

/** What filters see of one event of `call`: its space and its actor's roles (none when nobody acted). */
export async function eventFacts(
  event: EventName,
  call: HookCall,
  reader: FactsReader,
): Promise<FilterFacts> {
  const [scope, roles] = await Promise.all([
    eventScope(event, call.hook, call.args, reader),
    call.actor_id > 0 ? reader.roles(call.actor_id) : [],
  ]);
  return factsColumns(scope, roles);
}

/**
 * Whether the example of `event` (shared/event-examples.ts, the one the docs show) would reach a webhook with
 * `filters`, and the space its filters see there (a lesson's course is read from this site's tables). The
 * example's actor is invented: `exclude_roles` is not applied to it.
 */
export async function exampleFilterVerdict(db: Conn, t: Tables, filters: Filters, event: EventName) {
  const call = exampleCalls[event];
  const space = await eventScope(event, call.hook, call.args, createFactsReader(db, t));
  const verdict = filterVerdict(filters, space);
  return { event, filtered_out: !verdict.pass, reason: verdict.pass ? null : verdict.reason, space };
}

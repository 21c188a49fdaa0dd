/** Turns action calls into the events they mean, each with its payload built and stamped now. */
import { randomBytes } from 'node:crypto';
import { fromDbTime, toDbTime } from '../../../shared/datetime.ts';
import { eventsForHook } from '../../../shared/events.ts';
import type { HookCall } from '../../../shared/schemas.ts';
import { buildEventData, InvalidEventPayloadError } from '../../../shared/payloads.ts';
import { buildXprofile } from '../../../shared/xprofile.ts';
import { selectActor, selectUser, type ActorRows, type NewEvent, type UserRow } from '../db/events.ts';
import { createFactsReader, eventFacts, type FactsReader } from '../scopes.ts';
import type { Conn, Tables } from '../db/pool.ts';
import type { Deps } from '../deps.ts';

export { InvalidEventPayloadError };

const idAlphabet = '0123456789abcdefghjkmnpqrstvwxyz';
const idLength = 26;
/** Random bytes for ids, drawn 256 ids at a time (one call into the CSPRNG instead of one per event). */
let idBytes = Buffer.alloc(0);
let idAt = 0;

/** `msg_` + 26 random base32 characters: the event's stable id, sent as `webhook-id` on every attempt. */
export function newMessageId(): string {
  if (idAt + idLength > idBytes.length) {
    idBytes = randomBytes(idLength * 256);
    idAt = 0;
  }
  let id = 'msg_';
  for (const end = idAt + idLength; idAt < end; idAt++) id += idAlphabet[idBytes[idAt]! & 31];
  return id;
}

/** The spec's payload structure, as compact JSON: stored once per event, and what the JSON format sends. */
export function envelope(event: string, timestamp: Date, data: unknown, xprofile: unknown): string {
  return JSON.stringify({
    event,
    timestamp: timestamp.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    data,
    xprofile,
  });
}

/** Reads of the site's user and profile tables, memoised for one batch (a member's calls read them once). */
export interface Lookups {
  user(id: number): Promise<UserRow | null>;
  /** The acting user with their profile, read together (one statement). */
  actor(id: number): Promise<ActorRows>;
  /** Spaces, posts and users' roles, for what filters see of each event (memoised likewise). */
  facts: FactsReader;
}

export function createLookups(db: Conn, t: Tables): Lookups {
  const users = new Map<number, Promise<UserRow | null>>();
  const actors = new Map<number, Promise<ActorRows>>();
  const memo = <T>(cache: Map<number, Promise<T>>, id: number, read: () => Promise<T>): Promise<T> => {
    let value = cache.get(id);
    if (!value) cache.set(id, (value = read()));
    return value;
  };
  return {
    facts: createFactsReader(db, t),
    user: (id) => memo(users, id, () => selectUser(db, t, id)),
    actor: (id) =>
      memo(actors, id, () => {
        const read = selectActor(db, t, id);
        // The actor's user row also serves the payload builders' lookups of the same id. When the read fails and no
        // builder asks for that user, nobody awaits this derived promise: marked handled here so that the failure
        // reaches the batch through `read` instead of ending the process as an unhandled rejection.
        if (!users.has(id)) {
          const user = read.then((a) => a.user);
          user.catch(() => undefined);
          users.set(id, user);
        }
        return read;
      }),
  };
}

/** The events of one call, payloads included. Throws InvalidEventPayloadError for arguments that fit no event. */
export async function buildEvents(call: HookCall, lookups: Lookups): Promise<NewEvent[]> {
  const names = eventsForHook(call.hook, call.args);
  if (names.length === 0) return [];
  const ctx = { actorId: call.actor_id, user: lookups.user };
  const occurred = fromDbTime(call.occurred_at);
  if (Number.isNaN(occurred.getTime()))
    throw new InvalidEventPayloadError(`bad occurred_at ${call.occurred_at}`);
  const actor = call.actor_id > 0 ? await lookups.actor(call.actor_id) : null;
  const xprofile = actor ? buildXprofile(actor.xprofile, actor.user) : null;
  const built: NewEvent[] = [];
  for (const name of names) {
    const data = await buildEventData(name, call.hook, call.args, ctx);
    built.push({
      uid: newMessageId(),
      event: name,
      payload: envelope(name, occurred, data, xprofile),
      createdAt: toDbTime(occurred),
      facts: await eventFacts(name, call, lookups.facts),
    });
  }
  return built;
}

/**
 * Builds the events of `calls`. Returns them in call order and, per call, how many events it made, or null when
 * its arguments fit no event (logged and skipped). Calls are built side by side, so the reads of their distinct
 * actors go to the database back to back instead of one event-loop turn apart.
 */
export async function buildCalls(
  deps: Deps,
  conn: Conn,
  calls: HookCall[],
): Promise<{ events: NewEvent[]; perCall: (number | null)[] }> {
  const lookups = createLookups(conn, deps.tables);
  const built = await Promise.all(
    calls.map((call) =>
      buildEvents(call, lookups).catch((error: unknown) => {
        if (!(error instanceof InvalidEventPayloadError)) throw error;
        deps.log.warn(
          { hook: call.hook, reason: error.message },
          'action call rejected: arguments fit no event',
        );
        return null;
      }),
    ),
  );
  return { events: built.flatMap((b) => b ?? []), perCall: built.map((b) => b?.length ?? null) };
}

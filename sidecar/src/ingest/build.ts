/** Turns one action call into the events it means, each with its payload built and stamped now. */
import { randomBytes } from 'node:crypto';
import { eventsForHook } from '../../../shared/events.ts';
import type { HookCall } from '../../../shared/schemas.ts';
import { buildEventData, InvalidEventPayloadError } from '../../../shared/payloads.ts';
import { buildXprofile } from '../../../shared/xprofile.ts';
import { selectUser, selectXprofile, type NewEvent, type UserRow } from '../db/events.ts';
import type { Conn, Tables } from '../db/pool.ts';
import { envelope } from '../delivery/request.ts';

export { InvalidEventPayloadError };

/** `msg_` + 26 random base32 characters: the event's stable id, sent as `webhook-id` on every attempt. */
export function newMessageId(): string {
  const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';
  return `msg_${[...randomBytes(26)].map((b) => alphabet[b & 31]).join('')}`;
}

/** 'YYYY-MM-DD HH:MM:SS(.ffffff)' in UTC, or ISO 8601, as a Date. */
export const utcDate = (value: string) =>
  new Date(/[zZ]$/.test(value) ? value : `${value.replace(' ', 'T')}Z`);

/** The events of one call, payloads included. Throws InvalidEventPayloadError for arguments that fit no event. */
export async function buildEvents(db: Conn, t: Tables, call: HookCall): Promise<NewEvent[]> {
  const names = eventsForHook(call.hook, call.args);
  if (names.length === 0) return [];
  const users = new Map<number, Promise<UserRow | null>>();
  const user = (id: number) => {
    if (!users.has(id)) users.set(id, selectUser(db, t, id));
    return users.get(id)!;
  };
  const ctx = { actorId: call.actor_id, user };
  const occurred = utcDate(call.occurred_at);
  if (Number.isNaN(occurred.getTime()))
    throw new InvalidEventPayloadError(`bad occurred_at ${call.occurred_at}`);
  const xprofile =
    call.actor_id > 0
      ? buildXprofile(await selectXprofile(db, t, call.actor_id), await user(call.actor_id))
      : null;
  const built: NewEvent[] = [];
  for (const name of names) {
    const data = await buildEventData(name, call.hook, call.args, ctx);
    built.push({
      uid: newMessageId(),
      event: name,
      payload: envelope(name, occurred, data, xprofile),
      createdAt: occurred.toISOString().slice(0, 23).replace('T', ' '),
    });
  }
  return built;
}

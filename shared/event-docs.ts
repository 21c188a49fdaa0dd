/**
 * The event catalogue as documentation. Nothing here is written by hand: each schema is zod's JSON Schema of the
 * payload schemas, and each example is what the builders make of the event's example call (shared/event-examples.ts,
 * which a test holds to the shape of the recorded fixtures), so the docs cannot drift from what is sent.
 */
import { z } from 'zod';
import { exampleCalls, exampleTimestamp, exampleUsers, exampleXprofileRows } from './event-examples.ts';
import { eventCatalogue, eventNames, type EventName, type EventSpec } from './events.ts';
import { buildEventData, eventPayloadSchema, type EventPayload } from './payloads.ts';
import { buildXprofile } from './xprofile.ts';

export interface EventDoc {
  readonly name: EventName;
  readonly group: EventSpec['group'];
  readonly description: string;
  readonly edition: EventSpec['edition'];
  /** The WordPress actions the event comes from. */
  readonly hooks: readonly string[];
  /** JSON Schema (draft 2020-12) of the whole payload: `{event, timestamp, data, xprofile}`. */
  readonly schema: Record<string, unknown>;
  readonly example: EventPayload<EventName>;
}

let built: Promise<EventDoc[]> | undefined;

/** Every event of the catalogue, in its order, with schema and example. Each call returns fresh copies. */
export async function eventDocs(): Promise<EventDoc[]> {
  built ??= Promise.all(eventNames.map(eventDoc));
  return structuredClone(await built);
}

/** The example payload of `event`: its example call run through the builders, stamped with a fixed time. */
export async function examplePayload(event: EventName): Promise<EventPayload<EventName>> {
  const call = exampleCalls[event];
  const ctx = { actorId: call.actorId, user: async (id: number) => exampleUsers[id] ?? null };
  return {
    event,
    timestamp: exampleTimestamp,
    data: await buildEventData(event, call.hook, call.args, ctx),
    xprofile: buildXprofile(exampleXprofileRows[call.actorId], exampleUsers[call.actorId]),
  };
}

async function eventDoc(name: EventName): Promise<EventDoc> {
  const spec: EventSpec = eventCatalogue[name];
  const schema = eventPayloadSchema(name).meta({ title: `${name} payload`, description: spec.description });
  return {
    name,
    group: spec.group,
    description: spec.description,
    edition: spec.edition,
    hooks: [...spec.hooks],
    schema: z.toJSONSchema(schema) as Record<string, unknown>,
    example: await examplePayload(name),
  };
}

import { describe, expect, it } from 'vitest';
import { eventDocs } from '../../shared/event-docs.ts';
import { exampleCalls } from '../../shared/event-examples.ts';
import { eventCatalogue, eventNames, eventsForHook, type EventName } from '../../shared/events.ts';
import { buildEventData, eventPayloadSchema } from '../../shared/payloads.ts';
import { contextFor, loadFixture } from './hook-fixtures.ts';

const docs = await eventDocs();

/** A value's shape: which fields exist and whether each is null, a number, a string, a list or an object. */
function shape(value: unknown): unknown {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.map(shape);
  if (typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shape(v)]));
  return typeof value;
}

describe('eventDocs', () => {
  it('lists every event of the catalogue once, in its order, with its catalogue entry', () => {
    expect(docs.map((doc) => doc.name)).toEqual(eventNames);
    for (const doc of docs) {
      const spec = eventCatalogue[doc.name];
      expect(doc).toMatchObject({ group: spec.group, description: spec.description, edition: spec.edition });
      expect(doc.hooks).toEqual([...spec.hooks]);
    }
  });

  it.each(eventNames)('gives %s an example the payload schema accepts', (name) => {
    const doc = docs.find((entry) => entry.name === name)!;
    expect(eventPayloadSchema(name).safeParse(doc.example).error).toBeUndefined();
    expect(doc.example).toMatchObject({ event: name, timestamp: '2024-01-15T10:30:00Z' });
  });

  it.each(eventNames)('publishes for %s a JSON Schema generated from the zod schema', (name) => {
    const { schema, example } = docs.find((entry) => entry.name === name)!;
    const properties = schema.properties as Record<string, Record<string, unknown>>;
    expect(schema).toMatchObject({ $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object' });
    expect(schema.required).toEqual(['event', 'timestamp', 'data', 'xprofile']);
    expect(properties.event).toMatchObject({ const: name });
    const data = properties.data!;
    const variants = (data.anyOf as Record<string, unknown>[] | undefined) ?? [data];
    const keys = variants.map((variant) => Object.keys(variant.properties as object).sort());
    expect(keys).toContainEqual(Object.keys(example.data).sort());
  });

  it('returns copies, so a caller that changes one cannot change the next answer', async () => {
    docs[0]!.example.event = 'changed' as EventName;
    expect((await eventDocs())[0]!.example.event).toBe(eventNames[0]);
  });

  it('models the feed.created example on the spec example', () => {
    expect(docs[0]!.example.data).toMatchObject({
      id: 123,
      title: 'Welcome to our community!',
      message: "We're excited to have you here...",
      created_at: '2024-01-15 10:30:00',
    });
  });

  it('shows profiles with decoded meta, and one built from the WordPress user before a profile exists', () => {
    const byName = (name: EventName) => docs.find((doc) => doc.name === name)!.example;
    expect(byName('comment.created').xprofile?.meta.social_links).toEqual({
      twitter: '@bob',
      linkedin: 'bob-builder',
    });
    expect(byName('user.registered').xprofile).toMatchObject({
      user_id: 5,
      username: 'carol',
      total_points: 0,
    });
  });

  it('carries no logging artefacts, fixture hosts or secrets in any example', () => {
    const json = JSON.stringify(docs.map((doc) => doc.example));
    for (const banned of ['…', 'REDACTED', '127.0.0.1', 'user_pass']) expect(json).not.toContain(banned);
  });
});

describe('the example calls', () => {
  it.each(eventNames)('for %s produce their event and data shaped like the recorded call', async (name) => {
    const call = exampleCalls[name];
    const fixture = loadFixture(name);
    expect(call.hook).toBe(fixture.hook);
    expect(eventsForHook(call.hook, call.args)).toEqual([name]);
    const ctx = contextFor(name);
    const fromExample = await buildEventData(name, call.hook, call.args, ctx);
    const fromFixture = await buildEventData(name, fixture.hook, fixture.args, ctx);
    expect(shape(fromExample)).toEqual(shape(fromFixture));
  });
});

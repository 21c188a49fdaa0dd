import { describe, expect, it } from 'vitest';
import { eventCatalogue, eventNames, eventsForHook, type EventName } from '../../shared/events.ts';
import { buildEventData, eventDataSchemas, InvalidEventPayloadError } from '../../shared/payloads.ts';
import { allFixtures, contextFor, replaceEllipsis } from './hook-fixtures.ts';

const fixtures = allFixtures();
const ctx = contextFor('feed.created');

/** Every value inside the arguments' objects replaced by `odd`; top-level scalars (ids, `by`) are kept. */
function oddFields(args: unknown[], odd: unknown): unknown[] {
  return args.map((arg) =>
    typeof arg === 'object' && arg !== null && !Array.isArray(arg)
      ? Object.fromEntries(Object.keys(arg).map((key) => [key, odd]))
      : arg,
  );
}

describe('an argument list that cannot describe its event', () => {
  it.each(eventNames)('is rejected for %s with InvalidEventPayloadError when empty', async (event) => {
    const hook = eventCatalogue[event].hooks[0];
    const build = buildEventData(event, hook, [], ctx);
    await expect(build).rejects.toThrow(InvalidEventPayloadError);
    await expect(build).rejects.toMatchObject({ code: 'invalid_event_payload' });
  });

  it('is rejected when a model is given as a scalar or a list', async () => {
    const hook = 'fluent_community/feed/created';
    await expect(buildEventData('feed.created', hook, ['9'], ctx)).rejects.toThrow(
      /argument 0 must be the feed/,
    );
    await expect(buildEventData('feed.created', hook, [[]], ctx)).rejects.toThrow(InvalidEventPayloadError);
  });

  it('is rejected when a deleted id is not a positive integer', async () => {
    const hook = 'fluent_community/feed/deleted';
    for (const id of ['9abc', 0, -3, null, { id: 9 }, 1.5]) {
      await expect(buildEventData('feed.deleted', hook, [id], ctx)).rejects.toThrow(InvalidEventPayloadError);
    }
  });

  it('is rejected when the hook does not produce the event', async () => {
    const build = buildEventData('feed.created', 'fluent_community/space/deleted', [8], ctx);
    await expect(build).rejects.toThrow(/feed.created is not produced by fluent_community\/space\/deleted/);
  });

  it('is rejected when the arguments are not a list at all', async () => {
    const args = { 0: 9 } as unknown as unknown[];
    await expect(buildEventData('feed.deleted', 'fluent_community/feed/deleted', args, ctx)).rejects.toThrow(
      InvalidEventPayloadError,
    );
  });
});

describe('odd fields', () => {
  const cases = fixtures.flatMap((fixture) =>
    [null, [], {}, 'x', 1.5, true].map((odd) => [fixture.file, JSON.stringify(odd), fixture, odd] as const),
  );

  it.each(cases)('in %s set to %s become null or are cast, never thrown', async (_f, _o, fixture, odd) => {
    const event = fixture.event as EventName;
    const data = await buildEventData(event, fixture.hook, oddFields(fixture.args, odd), contextFor(event));
    expect(eventDataSchemas[event].safeParse(data).error).toBeUndefined();
  });

  it.each(
    fixtures.flatMap((fixture) =>
      [null, [], 'text', { a: 1 }].map((v) => [fixture.file, v, fixture] as const),
    ),
  )(
    'in %s: logging artefacts "…" standing for %j still build valid data',
    async (_file, replacement, fixture) => {
      const args = replaceEllipsis(fixture.args, replacement) as unknown[];
      const [event] = eventsForHook(fixture.hook, args);
      const data = await buildEventData(event as EventName, fixture.hook, args, contextFor(fixture.event));
      expect(eventDataSchemas[event as EventName].safeParse(data).error).toBeUndefined();
    },
  );

  it('keep a feed whose timestamps are not as stored, with those timestamps null', async () => {
    const feed = { id: '9', created_at: '2026-11-27T04:18:45Z', updated_at: 1764217125 };
    const data = await buildEventData('feed.created', 'fluent_community/feed/created', [feed], ctx);
    expect(data).toMatchObject({ id: 9, created_at: null, updated_at: null, title: null, space: null });
  });

  it('are cast when ids arrive as numeric strings with spaces or as floats that are whole', async () => {
    const feed = { id: ' 9 ', user_id: 1.0, space_id: '8', comments_count: '12', is_sticky: true };
    const data = await buildEventData('feed.created', 'fluent_community/feed/created', [feed], ctx);
    expect(data).toMatchObject({ id: 9, user_id: 1, space_id: 8, comments_count: 12, is_sticky: 1 });
  });
});

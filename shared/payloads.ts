/**
 * The `data` of every event: builders from an action's normalised arguments, and zod schemas of the result.
 * Parts live in shared/payloads/; this module is their entry point.
 */
import { z } from 'zod';
import { eventCatalogue, type EventName, type EventSpec, type HookArgs } from './events.ts';
import { builders } from './payloads/builders.ts';
import type { BuildContext } from './payloads/context.ts';
import { eventDataSchemas, type EventData } from './payloads/schemas.ts';
import { InvalidEventPayloadError } from './payloads/values.ts';
import { xprofileSchema } from './xprofile.ts';

export type { BuildContext, WpUserRow } from './payloads/context.ts';
export { eventDataSchemas, type EventData } from './payloads/schemas.ts';
export { InvalidEventPayloadError } from './payloads/values.ts';

/**
 * Builds the `data` of `event` from the arguments `hook` was called with (as the plugin forwards them).
 * Throws InvalidEventPayloadError when the hook does not produce the event or the arguments cannot describe it;
 * a missing or odd field is null instead.
 */
export async function buildEventData<E extends EventName>(
  event: E,
  hook: string,
  args: HookArgs,
  ctx: BuildContext,
): Promise<EventData<E>> {
  const spec: EventSpec = eventCatalogue[event];
  if (!(spec.hooks as readonly string[]).includes(hook)) {
    throw new InvalidEventPayloadError(`${event} is not produced by ${hook}`);
  }
  if (!Array.isArray(args))
    throw new InvalidEventPayloadError(`${event} (${hook}): arguments must be a list`);
  try {
    return await builders[event](args, ctx, hook);
  } catch (error) {
    if (!(error instanceof InvalidEventPayloadError)) throw error;
    throw new InvalidEventPayloadError(`${event} (${hook}): ${error.message}`);
  }
}

/** The payload a receiver gets for `event`, as the spec shapes it: `{event, timestamp, data, xprofile}`. */
export function eventPayloadSchema<E extends EventName>(event: E) {
  return z.strictObject({
    event: z.literal(event),
    timestamp: z.iso.datetime().describe('When the action ran, ISO 8601 in UTC, e.g. 2024-01-15T10:30:00Z'),
    data: eventDataSchemas[event],
    xprofile: xprofileSchema.nullable().describe('The community profile of the user who acted; null if none'),
  });
}

export type EventPayload<E extends EventName> = z.infer<ReturnType<typeof eventPayloadSchema<E>>>;

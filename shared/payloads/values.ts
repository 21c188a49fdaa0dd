/** Coercions from Fluent Community's loosely typed action arguments to payload values: anything odd is null. */
import type { HookArgs } from '../events.ts';
import { toDbTime } from '../datetime.ts';

/** A model as the plugin forwards it: its `toArray()`, with values of any type. */
export type Model = Readonly<Record<string, unknown>>;

/**
 * Thrown when an action's argument list cannot describe its event at all (say `args = []`, or a string where the
 * model should be). The sidecar answers it with 400 `invalid_event_payload`. Odd fields never throw: they are null.
 */
export class InvalidEventPayloadError extends Error {
  readonly code = 'invalid_event_payload';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidEventPayloadError';
  }
}

/** 'YYYY-MM-DD HH:MM:SS', the way MySQL and Fluent Community store and serialize timestamps. */
export const storedDateTime = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

const integerText = /^-?\d{1,16}$/;

/** An integer from an int, an integral float, a numeric string ("9") or a PHP bool; otherwise null. */
export function int(value: unknown): number | null {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : null;
  if (typeof value !== 'string' || !integerText.test(value.trim())) return null;
  const parsed = Number(value.trim());
  return Number.isSafeInteger(parsed) ? parsed : null;
}

/** A string as given, a finite number as its decimal text; otherwise null. */
export function text(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

/**
 * A stored timestamp ('YYYY-MM-DD HH:MM:SS') kept as stored; a `Date` (what a database driver without
 * `dateStrings` returns) is written in UTC. Anything else is null.
 */
export function timestamp(value: unknown): string | null {
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? null : toDbTime(value, 0);
  }
  return typeof value === 'string' && storedDateTime.test(value) ? value : null;
}

/** A model array (a JSON object, never a list); otherwise null. */
export function record(value: unknown): Model | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Model) : null;
}

/** Argument `index` as a model, or an error naming what was expected. */
export function modelArg(args: HookArgs, index: number, what: string): Model {
  const model = Array.isArray(args) ? record(args[index]) : null;
  if (model === null) throw new InvalidEventPayloadError(`argument ${index} must be the ${what} object`);
  return model;
}

/** Argument `index` as a positive integer id ("9" or 9), or an error naming what was expected. */
export function idArg(args: HookArgs, index: number, what: string): number {
  const id = Array.isArray(args) ? int(args[index]) : null;
  if (id === null || id < 1) throw new InvalidEventPayloadError(`argument ${index} must be the ${what}`);
  return id;
}

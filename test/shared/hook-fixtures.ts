/** The recorded action calls of test/fixtures/hook-args, normalised the way the PHP plugin forwards them. */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { exampleCalls, exampleUsers } from '../../shared/event-examples.ts';
import type { EventName } from '../../shared/events.ts';
import { hooks, type HookSpec } from '../../shared/hooks.ts';
import type { BuildContext } from '../../shared/payloads.ts';

const dir = fileURLToPath(new URL('../fixtures/hook-args/', import.meta.url));

export interface HookFixture {
  /** File name without `.json`, e.g. `reaction.added` or `variants/reaction.added.comment`. */
  readonly file: string;
  /** The event the fixture records (its file name up to the variant suffix). */
  readonly event: string;
  readonly hook: string;
  /** The arguments as logged, `__class` markers and WordPress core secrets included. */
  readonly raw: unknown[];
  /** The arguments as the plugin forwards them. */
  readonly args: unknown[];
}

export function loadFixture(file: string): HookFixture {
  const json = JSON.parse(readFileSync(`${dir}${file}.json`, 'utf8')) as { hook: string; args: unknown[] };
  const event = file.replace(/^variants\//, '').replace(/^(\w+\.\w+)\..*$/, '$1');
  return { file, event, hook: json.hook, raw: json.args, args: normalise(json.hook, json.args) };
}

export function allFixtures(): HookFixture[] {
  const names = (sub: string) =>
    readdirSync(`${dir}${sub}`)
      .filter((name) => name.endsWith('.json'))
      .map((name) => `${sub}${name.slice(0, -'.json'.length)}`);
  return [...names(''), ...names('variants/')].map(loadFixture);
}

/** As the plugin does: a `WP_User` becomes `{ID}`, a model its array (no `__class`), then `forward` applies. */
export function normalise(hook: string, args: unknown[]): unknown[] {
  const spec: HookSpec | undefined = (hooks as Record<string, HookSpec>)[hook];
  const converted = args.map((arg) =>
    classOf(arg) === 'WP_User' ? { ID: (arg as { ID: unknown }).ID } : withoutClassMarkers(arg),
  );
  if (spec?.forward === undefined) return converted;
  return spec.forward.filter((index) => index < converted.length).map((index) => converted[index]);
}

function classOf(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? (value as { __class?: unknown }).__class : undefined;
}

/** A logged value without the logger's `__class` markers, at any depth. */
export function withoutClassMarkers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutClassMarkers);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value).filter(([key]) => key !== '__class');
  return Object.fromEntries(entries.map(([key, item]) => [key, withoutClassMarkers(item)]));
}

/** Every logging artefact "…" replaced by `replacement` (real values are strings, arrays or null). */
export function replaceEllipsis(value: unknown, replacement: unknown): unknown {
  if (value === '…') return replacement;
  if (Array.isArray(value)) return value.map((item) => replaceEllipsis(item, replacement));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, replaceEllipsis(item, replacement)]),
  );
}

/** A build context over the example users; the actor defaults to the one of the event's example call. */
export function contextFor(event: string, actorId?: number): BuildContext {
  const fallback = exampleCalls[event as EventName]?.actorId ?? 1;
  return { actorId: actorId ?? fallback, user: async (id) => exampleUsers[id] ?? null };
}

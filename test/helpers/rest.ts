/** REST calls to a test site's WordPress as an admin's `curl -u user:app-password` would make them. */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { EventName } from '../../shared/events.ts';
import type { SiteUserName } from '../../scripts/stack/wordpress.ts';
import { useTestSite, type TestSite, type TestSiteOptions } from './site.ts';

export const fixturesDir = path.resolve(import.meta.dirname, '../fixtures/hook-args');
/** Every fixture's name, e.g. `feed.created` and `variants/reaction.added.comment`. */
export const fixtureNames: readonly string[] = [
  ...readdirSync(fixturesDir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5)),
  ...readdirSync(`${fixturesDir}/variants`).map((f) => `variants/${f.slice(0, -5)}`),
];

/** The event a fixture stands for: its file name, or for a variant the part before the object type. */
export const eventOfFixture = (fixture: string) =>
  fixture.replace(/^variants\//, '').replace(/\.comment$/, '') as EventName;

export const specNamespace = 'fluent-community/v2';
export const ownNamespace = 'fluent-community-webhooks/v1';

export interface RestAnswer<T = any> {
  status: number;
  body: T;
  headers: Headers;
  ms: number;
}

export interface RestOptions {
  /** Which site user calls; `anonymous` sends no credentials. Default admin. */
  as?: SiteUserName | 'anonymous';
  body?: unknown;
  /** The REST namespace (default the spec's). */
  ns?: string;
  headers?: Record<string, string>;
}

/** Calls `<rest_url><ns><route>` and parses the JSON answer. */
export async function rest<T = any>(
  site: TestSite,
  method: string,
  route: string,
  options: RestOptions = {},
): Promise<RestAnswer<T>> {
  const { as = 'admin', body, ns = specNamespace } = options;
  const headers: Record<string, string> = { ...options.headers };
  if (as !== 'anonymous') headers.authorization = site.wp.basicAuth(as);
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const started = performance.now();
  const res = await fetch(`${site.wp.rest_url}${ns}${route}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Left as text: the assertion that follows will show it.
  }
  return { status: res.status, body: parsed as T, headers: res.headers, ms: performance.now() - started };
}

/** A full site (WordPress + sidecar + receiver) whose Fluent Community emulator reads this repo's fixtures. */
export function useE2ESite(options: TestSiteOptions = {}): () => TestSite {
  return useTestSite({
    ...options,
    wordpress: {
      ...options.wordpress,
      constants: { FCWH_TEST_FIXTURES_DIR: fixturesDir, ...options.wordpress?.constants },
    },
  });
}

/** Fires a Fluent Community action from a fixture inside WordPress, as `as` (default admin). */
export async function fireFixture(
  site: TestSite,
  fixture: string,
  options: { as?: SiteUserName; overrides?: unknown; beforeOverrides?: unknown; times?: number } = {},
) {
  const res = await rest(site, 'POST', '/fire', {
    ns: 'fcwh-test/v1',
    as: options.as ?? 'admin',
    body: {
      fixture,
      ...(options.overrides ? { overrides: options.overrides } : {}),
      ...(options.beforeOverrides ? { before_overrides: options.beforeOverrides } : {}),
      ...(options.times ? { times: options.times } : {}),
    },
  });
  if (res.status !== 200)
    throw new Error(`firing ${fixture} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { hook: string; args_count: number; times: number; ms: number };
}

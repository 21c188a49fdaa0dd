/**
 * Event hand-over: `POST /events` is the ingest API (action calls from other plugins and services, stored as
 * events and fanned out before the 202); `POST /events/wake` says the plugin's inbox has rows. Over a socket the
 * wake-up is answered in Node's listener (wake.ts); this Hono route serves it in-process and for any request the
 * listener's exact match leaves (a query string).
 */
import type { Hono } from 'hono';
import { sidecarRoutes } from '../../../shared/routes.ts';
import { ingestBody, type ingestResponse } from '../../../shared/schemas.ts';
import type { z } from 'zod';
import type { Deps } from '../deps.ts';
import { ingestCalls } from '../ingest/calls.ts';
import { readJsonObject, validate } from './input.ts';

/** Validates a parsed body and stores its calls; resolves once they are committed. */
async function accept(deps: Deps, body: Record<string, unknown>): Promise<z.infer<typeof ingestResponse>> {
  const { events } = validate(ingestBody, body, 'invalid_event_payload', {});
  const result = await ingestCalls(deps, events);
  return { accepted: events.length - result.rejected, events: result.events };
}

export function mountEvents(app: Hono, deps: Deps): void {
  app.post(sidecarRoutes.ingest.path, async (c) => c.json(await accept(deps, await readJsonObject(c)), 202));
  app.post(sidecarRoutes.wake.path, (c) => {
    deps.wake();
    return c.body(null, 204);
  });
}

/** Event hand-over from the plugin: `POST /events` stores action calls; `POST /events/wake` says the inbox has some. */
import type { Hono } from 'hono';
import { sidecarRoutes } from '../../../shared/routes.ts';
import { ingestBody } from '../../../shared/schemas.ts';
import type { Deps } from '../deps.ts';
import { ingestCalls } from '../ingest/ingest.ts';
import { readJsonObject, validate } from './input.ts';

export function mountEvents(app: Hono, deps: Deps): void {
  app.post(sidecarRoutes.ingest.path, async (c) => {
    const body = validate(ingestBody, await readJsonObject(c), 'invalid_event_payload', {});
    const result = await ingestCalls(deps, body.events);
    return c.json({ accepted: body.events.length - result.rejected, events: result.events }, 202);
  });
  app.post(sidecarRoutes.wake.path, (c) => {
    deps.wake();
    return c.body(null, 204);
  });
}

/**
 * Event hand-over from the plugin: `POST /events` stores action calls; `POST /events/wake` says the inbox has some.
 * Over a socket both are answered in Node's request listener before Hono (`eventsRoute`, wake.ts); the Hono routes
 * serve in-process calls and any request the exact match leaves (a query string), with the same code.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Hono } from 'hono';
import { sidecarRoutes } from '../../../shared/routes.ts';
import { ingestBody, type ingestResponse } from '../../../shared/schemas.ts';
import type { z } from 'zod';
import type { Deps } from '../deps.ts';
import { ingestCalls } from '../ingest/calls.ts';
import { parseJsonObject, readJsonObject, validate } from './input.ts';
import { gate, readBody, sendFailure, sendJson } from './node-route.ts';

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

/**
 * Returns a listener step: it answers `POST /events` and returns true, or returns false for any other request.
 * Hono's request adaptation, routing and middleware cost ~45 µs of CPU per request, a fifth of a one-call request
 * with the database stubbed.
 */
export function eventsRoute(deps: Deps) {
  const { path, method } = sidecarRoutes.ingest;
  const { secret, maxBodyBytes } = deps.config;
  const admit = gate({ secret, maxBodyBytes, log: deps.log }, path, method);
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.method !== method || req.url !== path) return false;
    if (!admit(req, res)) return true;
    readBody(req, res, maxBodyBytes, async (text) => {
      try {
        // As Hono reads it: several Content-Type headers are joined.
        const type = (req.headersDistinct['content-type'] ?? []).join(', ');
        sendJson(res, 202, await accept(deps, parseJsonObject(text, type)));
      } catch (error) {
        sendFailure(res, deps.log, req, error);
      }
    });
    return true;
  };
}

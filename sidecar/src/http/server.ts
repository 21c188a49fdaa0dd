/** The sidecar's HTTP server: the event routes in Node's request listener first, then Hono for every other route. */
import { createServer, type Server } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';
import type { Deps } from '../deps.ts';
import { eventsRoute } from './events.ts';
import { wakeRoute } from './wake.ts';

/** An HTTP server (not yet listening) serving `app`, with `POST /events` and `POST /events/wake` answered before Hono. */
export function createSidecarServer(deps: Deps, app: Hono): Server {
  const wake = wakeRoute({
    secret: deps.config.secret,
    maxBodyBytes: deps.config.maxBodyBytes,
    log: deps.log,
    wake: deps.wake,
  });
  const events = eventsRoute(deps);
  const hono = getRequestListener(app.fetch);
  return createServer((req, res) => {
    if (!events(req, res) && !wake(req, res)) void hono(req, res);
  });
}

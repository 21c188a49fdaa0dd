/**
 * The sidecar's HTTP server: Hono's app serves every route; the plugin's wake-up (`POST /events/wake`, one per PHP
 * request that wrote inbox rows) is answered in Node's listener first, with the same gate and error exit (wake.ts).
 */
import { createServer, type Server } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';
import type { Deps } from '../deps.ts';
import { wakeRoute } from './wake.ts';

/** An HTTP server (not yet listening) serving `app`, with `POST /events/wake` answered before Hono. */
export function createSidecarServer(deps: Deps, app: Hono): Server {
  const wake = wakeRoute({
    secret: deps.config.secret,
    maxBodyBytes: deps.config.maxBodyBytes,
    log: deps.log,
    wake: deps.wake,
  });
  const hono = getRequestListener(app.fetch);
  return createServer((req, res) => {
    if (!wake(req, res)) void hono(req, res);
  });
}

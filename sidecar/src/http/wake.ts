/**
 * `POST /events/wake`, answered in Node's request listener before Hono: the plugin sends one per PHP request that
 * wrote inbox rows, so it must cost next to nothing — no WHATWG Request or body stream, no middleware chain. It
 * still requires the shared secret (constant-time) and answers refusals in the API's error shape. Coalescing is
 * the worker's: a wake sets a flag, one drain runs at a time, and wakes arriving during a drain make exactly one
 * more (test/sidecar/wake-coalescing.test.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sidecarRoutes } from '../../../shared/routes.ts';
import { gate, readBody, sendFailure, type NodeRouteOptions } from './node-route.ts';

export interface WakeRouteOptions extends NodeRouteOptions {
  /** Tells the worker the inbox has rows. */
  wake: () => void;
}

/**
 * Returns a listener step: it answers `POST /events/wake` and returns true, or returns false for any other
 * request (Hono serves those, and this route too when called in-process).
 */
export function wakeRoute(options: WakeRouteOptions) {
  const { path, method } = sidecarRoutes.wake;
  const admit = gate(options, path, method);
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.method !== method || req.url !== path) return false;
    if (!admit(req, res)) return true;
    // The body means nothing here; it is read (so the connection can be reused) within the size limit.
    readBody(
      req,
      res,
      options.maxBodyBytes,
      () => {
        try {
          options.wake();
        } catch (error) {
          return sendFailure(res, options.log, req, error);
        }
        res.writeHead(204);
        res.end();
      },
      false,
    );
    return true;
  };
}

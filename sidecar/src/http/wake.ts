/**
 * `POST /events/wake`, answered in Node's request listener before Hono: the plugin sends one per PHP request that
 * wrote inbox rows, so it must cost next to nothing — no WHATWG Request or body stream, no middleware chain. It
 * still requires the shared secret (constant-time), bounds the body, and answers refusals and failures through
 * the app's error exit (error-exit.ts), in the API's error shape. Coalescing is the worker's: a wake sets a flag,
 * one drain runs at a time, and wakes arriving during a drain make exactly one more
 * (test/sidecar/wake-coalescing.test.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sidecarRoutes } from '../../../shared/routes.ts';
import { ApiError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { bearerCheck, logRefused } from './auth.ts';
import { errorExit } from './error-exit.ts';

export interface WakeRouteOptions {
  secret: string;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes: number;
  log: Logger;
  /** Tells the worker the inbox has rows. */
  wake: () => void;
}

/** Answers `res` with an API error in the `{code, message, data: {status}}` shape. */
function sendError(res: ServerResponse, error: ApiError, close = false): void {
  const text = JSON.stringify(error.toBody());
  res.writeHead(error.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...(close ? { connection: 'close' } : {}),
  });
  res.end(text);
}

/**
 * Returns a listener step: it answers `POST /events/wake` and returns true, or returns false for any other
 * request (Hono serves those, and this route too when called in-process).
 */
export function wakeRoute(options: WakeRouteOptions) {
  const { path, method } = sidecarRoutes.wake;
  const { log, maxBodyBytes } = options;
  const valid = bearerCheck(options.secret);
  /** Answers as the app does: through its error exit. */
  const fail = (req: IncomingMessage, res: ServerResponse, error: unknown, close = false) => {
    if (!res.headersSent) sendError(res, errorExit(error, log, { method: req.method, path: req.url }), close);
  };
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.method !== method || req.url !== path) return false;
    // As Hono reads it: several Authorization headers are joined, so they never match.
    const authorization = (req.headersDistinct.authorization ?? []).join(', ');
    if (!valid(authorization)) {
      logRefused(log, path, method, authorization);
      fail(req, res, new ApiError('unauthorized'));
      return true;
    }
    if (Number(req.headers['content-length'] ?? 0) > maxBodyBytes) {
      fail(req, res, new ApiError('payload_too_large'), true);
      return true;
    }
    // The body means nothing here; it is read and dropped (so the connection can be reused), counting: past the
    // limit (a chunked body; a declared length was judged above) the answer is 413 and the connection closes.
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) fail(req, res, new ApiError('payload_too_large'), true);
    });
    req.on('end', () => {
      if (res.headersSent) return;
      try {
        options.wake();
      } catch (error) {
        return fail(req, res, error);
      }
      res.writeHead(204);
      res.end();
    });
    return true;
  };
}

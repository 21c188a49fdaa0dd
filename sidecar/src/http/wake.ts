/**
 * `POST /events/wake`, answered in Node's request listener before Hono: the plugin sends one per PHP request that
 * wrote inbox rows, so it must cost next to nothing — no WHATWG Request or body stream, no middleware chain. It
 * still requires the shared secret (constant-time) and answers refusals in the API's error shape. Coalescing is
 * the worker's: a wake sets a flag, one drain runs at a time, and wakes arriving during a drain make exactly one
 * more (test/sidecar/wake-coalescing.test.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sidecarRoutes } from '../../../shared/routes.ts';
import { ApiError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { bearerCheck, logRefused } from './auth.ts';

export interface WakeRouteOptions {
  secret: string;
  /** Largest request body accepted (it is read and ignored), in bytes. */
  maxBodyBytes: number;
  log: Logger;
  /** Tells the worker the inbox has rows. */
  wake: () => void;
}

/** Answers `res` with an API error in the `{code, message, data: {status}}` shape. */
function sendError(res: ServerResponse, error: ApiError, close = false): void {
  const body = JSON.stringify(error.toBody());
  res.writeHead(error.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    ...(close ? { connection: 'close' } : {}),
  });
  res.end(body);
}

/**
 * Returns a listener step: it answers `POST /events/wake` and returns true, or returns false for any other
 * request (Hono serves those, and this route too when called in-process).
 */
export function wakeRoute(options: WakeRouteOptions) {
  const valid = bearerCheck(options.secret);
  const { path, method } = sidecarRoutes.wake;
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.method !== method || req.url !== path) return false;
    // As Hono reads it: several Authorization headers are joined, so they never match.
    const authorization = (req.headersDistinct.authorization ?? []).join(', ');
    if (!valid(authorization)) {
      logRefused(options.log, path, method, authorization);
      sendError(res, new ApiError('unauthorized'));
      return true;
    }
    if (Number(req.headers['content-length'] ?? 0) > options.maxBodyBytes) {
      sendError(res, new ApiError('payload_too_large'), true);
      return true;
    }
    // The body means nothing here; it is read (so the connection can be reused) within the size limit.
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > options.maxBodyBytes && !res.headersSent)
        sendError(res, new ApiError('payload_too_large'), true);
    });
    req.on('end', () => {
      if (res.headersSent) return;
      try {
        options.wake();
      } catch (error) {
        options.log.error({ err: error, path, method }, 'unhandled error');
        return sendError(res, new ApiError('internal_error'));
      }
      res.writeHead(204);
      res.end();
    });
    return true;
  };
}

/**
 * What the routes answered in Node's request listener before Hono share (`POST /events/wake`, `POST /events`):
 * the shared-secret gate, the body limit, the body read and the answers, in the same shapes as Hono's path.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { bearerCheck, logRefused } from './auth.ts';

export interface NodeRouteOptions {
  secret: string;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes: number;
  log: Logger;
}

/** Answers `res` with a JSON body. */
export function sendJson(res: ServerResponse, status: number, body: unknown, close = false): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...(close ? { connection: 'close' } : {}),
  });
  res.end(text);
}

/** Answers `res` with an API error in the `{code, message, data: {status}}` shape. */
export function sendError(res: ServerResponse, error: ApiError, close = false): void {
  sendJson(res, error.status, error.toBody(), close);
}

/** Answers an error as `app.onError` does: an ApiError as itself, anything else logged and opaque. */
export function sendFailure(res: ServerResponse, log: Logger, req: IncomingMessage, error: unknown): void {
  if (res.headersSent) return;
  if (error instanceof ApiError) return sendError(res, error);
  log.error({ err: error, path: req.url, method: req.method }, 'unhandled error');
  sendError(res, new ApiError('internal_error'));
}

/**
 * Returns a gate for one route: it answers 401 without the shared secret (constant-time) or 413 for a declared
 * length over the limit, and returns false; true lets the request through.
 */
export function gate(options: NodeRouteOptions, path: string, method: string) {
  const valid = bearerCheck(options.secret);
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    // As Hono reads it: several Authorization headers are joined, so they never match.
    const authorization = (req.headersDistinct.authorization ?? []).join(', ');
    if (!valid(authorization)) {
      logRefused(options.log, path, method, authorization);
      sendError(res, new ApiError('unauthorized'));
      return false;
    }
    if (Number(req.headers['content-length'] ?? 0) > options.maxBodyBytes) {
      sendError(res, new ApiError('payload_too_large'), true);
      return false;
    }
    return true;
  };
}

const decoder = new TextDecoder();

/**
 * Reads the body, counting: past `maxBytes` (a chunked body; a declared length was judged by the gate) it answers
 * 413 and closes the connection, and `done` is never called. The text is decoded as Hono's `c.req.text()` does
 * (UTF-8, a byte-order mark dropped). `keep` false reads and drops the body (it only has to leave the socket).
 */
export function readBody(
  req: IncomingMessage,
  res: ServerResponse,
  maxBytes: number,
  done: (text: string) => void,
  keep = true,
): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (res.headersSent) return;
    if (size > maxBytes) return sendError(res, new ApiError('payload_too_large'), true);
    if (keep) chunks.push(chunk);
  });
  req.on('end', () => {
    if (res.headersSent) return;
    done(chunks.length === 1 ? decoder.decode(chunks[0]) : decoder.decode(Buffer.concat(chunks)));
  });
}

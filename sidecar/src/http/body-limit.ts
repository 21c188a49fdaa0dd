/**
 * The request body limit (413 `payload_too_large`). A body with a Content-Length is judged by the header alone —
 * Node's parser never hands on more bytes than it declares — so it is later read once, straight from the socket.
 * Only a body without one (chunked) goes through Hono's counting reader, which has to build the WHATWG Request
 * and its stream, the largest share of a small POST's CPU.
 */
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiError } from '../errors.ts';

export function limitBody(maxBytes: number): MiddlewareHandler {
  const counted = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new ApiError('payload_too_large');
    },
  });
  return async (c, next) => {
    // A GET or HEAD body means nothing here: it is left unread.
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const length = c.req.header('content-length');
    if (length === undefined || c.req.header('transfer-encoding') !== undefined) return counted(c, next);
    if (Number(length) > maxBytes) throw new ApiError('payload_too_large');
    return next();
  };
}

/** The shared-secret gate: every sidecar route but the health check needs `Authorization: Bearer <secret>`. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Logger } from '../log.ts';
import { ApiError } from '../errors.ts';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Whether an `Authorization` header value is `Bearer <secret>`. Compares SHA-256 digests, so the comparison
 * takes the same time whatever the length or content of the guess.
 */
export function bearerCheck(secret: string): (authorization: string) => boolean {
  const expected = digest(`Bearer ${secret}`);
  return (given) => timingSafeEqual(digest(given), expected);
}

/** What is logged of a refused request: never the value that was sent as the secret. */
export function logRefused(log: Logger, path: string, method: string, authorization: string): void {
  log.warn(
    { path, method, hasAuthorization: authorization !== '' },
    'rejected request without a valid shared secret',
  );
}

/** Hono middleware: 401 `unauthorized` unless the request carries the secret (`open` paths excepted). */
export function requireSecret(secret: string, log: Logger, open: readonly string[]): MiddlewareHandler {
  const valid = bearerCheck(secret);
  return async (c, next) => {
    if (open.includes(c.req.path)) return next();
    const given = c.req.header('authorization') ?? '';
    if (!valid(given)) {
      logRefused(log, c.req.path, c.req.method, given);
      throw new ApiError('unauthorized');
    }
    return next();
  };
}

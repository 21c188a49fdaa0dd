/** The shared-secret gate: every sidecar route but the health check needs `Authorization: Bearer <secret>`. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Logger } from '../log.ts';
import { ApiError } from '../errors.ts';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Compares digests so the comparison takes the same time whatever the length or content of the guess. */
export function requireSecret(secret: string, log: Logger, open: readonly string[]): MiddlewareHandler {
  const expected = digest(`Bearer ${secret}`);
  return async (c, next) => {
    if (open.includes(c.req.path)) return next();
    const given = c.req.header('authorization') ?? '';
    if (!timingSafeEqual(digest(given), expected)) {
      log.warn(
        { path: c.req.path, method: c.req.method, hasAuthorization: given !== '' },
        'rejected request without a valid shared secret',
      );
      throw new ApiError('unauthorized');
    }
    return next();
  };
}

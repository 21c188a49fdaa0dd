/**
 * The sidecar's one error exit, used by Hono's `app.onError` and by the wake-up's Node listener: an ApiError
 * answers as itself; anything else is logged with the request it broke and answers an opaque 500, so no internal
 * message reaches a caller.
 */
import { ApiError } from '../errors.ts';
import type { Logger } from '../log.ts';

export function errorExit(
  error: unknown,
  log: Logger,
  request: { method: string | undefined; path: string | undefined },
): ApiError {
  if (error instanceof ApiError) return error;
  log.error({ err: error, path: request.path, method: request.method }, 'unhandled error');
  return new ApiError('internal_error');
}

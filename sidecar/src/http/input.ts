/** Reading and validating request input: JSON bodies, query strings and ids, with WordPress-shaped errors. */
import type { Context } from 'hono';
import type { z } from 'zod';
import { fieldErrorCodes, webhookIdParam } from '../../../shared/schemas.ts';
import type { ErrorCode } from '../../../shared/errors.ts';
import { ApiError } from '../errors.ts';

/**
 * The JSON object in the request body; an empty body is `{}`. A body that parses as JSON is accepted whatever
 * its Content-Type (`curl -d` sends form encoding by default); one that does not is 400, or 415 when it was
 * declared as something other than JSON.
 */
export async function readJsonObject(c: Context): Promise<Record<string, unknown>> {
  return parseJsonObject(await c.req.text(), c.req.header('content-type'));
}

/** `readJsonObject` on a body already read, with its Content-Type header (if any). */
export function parseJsonObject(text: string, contentType = ''): Record<string, unknown> {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const declaredJson = contentType === '' || /^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType);
    throw new ApiError(declaredJson ? 'invalid_json' : 'unsupported_media_type');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ApiError('invalid_body');
  return value as Record<string, unknown>;
}

/** Parses with `schema`; the first failing field decides the error code (`invalid_url`, `invalid_events`, ...). */
export function validate<S extends z.ZodType>(
  schema: S,
  value: unknown,
  fallback: ErrorCode = 'rest_invalid_param',
  codes: Readonly<Record<string, ErrorCode>> = fieldErrorCodes,
): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = String(issue.path[0] ?? '');
  const code = codes[field] ?? fallback;
  const custom =
    issue.code === 'custom' ||
    (issue.message && !issue.message.startsWith('Invalid') && !issue.message.startsWith('Too'));
  const message = custom ? issue.message : undefined;
  throw new ApiError(
    code,
    code === 'rest_invalid_param' ? `Invalid parameter: ${field || 'request'}.` : message,
    {
      params: { [field || 'body']: issue.message },
    },
  );
}

/** A positive integer id from the path, or a 404 in the given code. */
export function parseId(raw: string | undefined, notFound: ErrorCode = 'not_found'): number {
  const parsed = webhookIdParam.safeParse(raw);
  if (!parsed.success || !Number.isSafeInteger(parsed.data)) throw new ApiError(notFound);
  return parsed.data;
}

/** What the sender keeps of an answer: a bounded excerpt of the body, Retry-After, and a failure as one sentence. */
import { errors as undiciErrors } from 'undici';
import { BlockedTargetError } from './guarded-lookup.ts';

/**
 * The excerpt kept of a body from its first bytes (`kept`, in order): decoded as UTF-8 and cut to `chars` code
 * points. The reader keeps at most `chars * 4` bytes, so a receiver that streams a gigabyte costs a few KB here.
 */
export function excerptOf(kept: readonly Buffer[], chars: number): string {
  if (kept.length === 0) return '';
  const bytes = kept.length === 1 ? kept[0]! : Buffer.concat(kept);
  return firstChars(bytes.toString('utf8'), chars);
}

/** The first `chars` code points; a string of at most `chars` UTF-16 units has no more code points than that. */
const firstChars = (text: string, chars: number) =>
  text.length <= chars ? text : Array.from(text).slice(0, chars).join('');

/** Retry-After in seconds (delta-seconds or HTTP date); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v.trim());
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.round((date - now) / 1000));
}

/** A failed attempt as the sentence stored in the delivery log (`timedOut`: the attempt's deadline passed). */
export function describeError(error: unknown, timedOut: boolean): string {
  if (timedOut) return 'Timed out.';
  const e = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const blocked =
    e instanceof BlockedTargetError ? e : e.cause instanceof BlockedTargetError ? e.cause : null;
  if (blocked) return `Blocked target: ${blocked.message}.`;
  if (error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError)
    return 'Timed out.';
  if (error instanceof undiciErrors.ConnectTimeoutError) return 'Connection timed out.';
  const code = e.code ?? e.cause?.code;
  if (code === 'ECONNREFUSED') return 'Connection refused.';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'Host name could not be resolved.';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'Connection reset by the receiver.';
  if (code && /CERT|SSL|TLS/.test(code)) return `TLS error: ${code}.`;
  return `Network error: ${(e.message ?? String(error)).slice(0, 200)}.`;
}

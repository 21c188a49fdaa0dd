/** What the sender keeps of an answer: a bounded excerpt of the body, Retry-After, and a failure as one sentence. */
import { errors as undiciErrors } from 'undici';
import { BlockedTargetError } from './guarded-lookup.ts';

/**
 * Reads at most `maxBytes` of a response body (then cuts the connection) and keeps only the first `chars`
 * characters: a receiver that streams a gigabyte costs 64 KB of reading and a few KB of memory.
 */
export async function readExcerpt(
  body: AsyncIterable<Buffer> & { destroy(): void },
  maxBytes: number,
  chars: number,
): Promise<string> {
  const keepBytes = Math.min(maxBytes, chars * 4);
  const kept: Buffer[] = [];
  let keptSize = 0;
  let read = 0;
  for await (const chunk of body) {
    read += chunk.length;
    if (keptSize < keepBytes) {
      const part = chunk.subarray(0, keepBytes - keptSize);
      kept.push(Buffer.from(part));
      keptSize += part.length;
    }
    if (read >= maxBytes) {
      body.destroy();
      break;
    }
  }
  return Array.from(Buffer.concat(kept).toString('utf8')).slice(0, chars).join('');
}

/** Retry-After in seconds (delta-seconds or HTTP date); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v.trim());
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.round((date - now) / 1000));
}

/** A failed attempt as the sentence stored in the delivery log (`signal` is the attempt's deadline). */
export function describeError(error: unknown, signal: AbortSignal): string {
  if (signal.aborted) return 'Timed out.';
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

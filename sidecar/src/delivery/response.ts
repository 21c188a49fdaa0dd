/** What the sender keeps of an answer: a bounded excerpt of the body, Retry-After, and a failure as one sentence. */
import { finished, type Readable } from 'node:stream';
import { errors as undiciErrors } from 'undici';
import { BlockedTargetError } from './guarded-lookup.ts';

/** A response body as undici hands it over. */
export type ResponseBody = Readable & { arrayBuffer(): Promise<ArrayBuffer> };

/**
 * Reads at most `maxBytes` of a response body (then cuts the connection) and keeps only the first `chars`
 * characters: a receiver that streams a gigabyte costs 64 KB of reading and a few KB of memory. A body whose
 * `Content-Length` (bytes) announces that it fits in what is kept is read in one piece (undici never reads past
 * the announced length), the common small 2xx answer.
 */
export async function readExcerpt(
  body: ResponseBody,
  maxBytes: number,
  chars: number,
  contentLength?: string | string[],
): Promise<string> {
  const keepBytes = Math.min(maxBytes, chars * 4);
  const announced = typeof contentLength === 'string' ? Number(contentLength) : NaN;
  if (announced >= 0 && announced <= keepBytes)
    return firstChars(Buffer.from(await body.arrayBuffer()).toString('utf8'), chars);
  return firstChars(Buffer.concat(await collect(body, maxBytes, keepBytes)).toString('utf8'), chars);
}

/**
 * The body's first `keepBytes`, reading at most `maxBytes` (then cutting the connection). Listeners, not
 * `for await`: the async iterator costs a promise and several callbacks per chunk; `finished` rejects as it would.
 */
function collect(body: ResponseBody, maxBytes: number, keepBytes: number): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const kept: Buffer[] = [];
    let keptSize = 0;
    let read = 0;
    body.on('data', (chunk: Buffer) => {
      read += chunk.length;
      if (keptSize < keepBytes) {
        const part = chunk.subarray(0, keepBytes - keptSize);
        kept.push(Buffer.from(part));
        keptSize += part.length;
      }
      if (read >= maxBytes) {
        resolve(kept); // first: destroying makes `finished` report a premature close
        body.destroy();
      }
    });
    finished(body, (error) => (error ? reject(error) : resolve(kept)));
  });
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

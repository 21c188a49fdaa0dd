/**
 * The SSRF-safe HTTP client: resolves the host once, refuses the connection if any resolved address is not public,
 * connects to the address it checked (no second lookup, so DNS rebinding cannot switch it), never follows
 * redirects, bounds the whole attempt in time and reads at most a small part of the answer.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';
import { Agent, request, errors as undiciErrors } from 'undici';
import {
  checkAddress,
  checkUrl,
  isExactlyAllowed,
  parseAllowTargets,
  urlPort,
  type TargetPolicy,
} from './target-policy.ts';

/** The outcome of one HTTP attempt: a value, never an exception. `ms` is the whole attempt's duration. */
export type SendResult =
  | { ok: true; status: number; ms: number; excerpt: string }
  | { ok: false; status: number | null; ms: number; error: string; excerpt: string; retryAfter?: number };

export interface SenderOptions {
  policy: TargetPolicy;
  /** Whole-attempt timeout in milliseconds (connect, headers and body together). */
  timeoutMs: number;
  /** Extra trusted CA (PEM), added to Node's bundled roots. */
  caPem?: string;
  /** How much of a response body to read, in bytes. */
  maxReadBytes?: number;
  /** How much of it to keep as the excerpt, in characters. */
  excerptChars?: number;
  /** DNS resolver (default `dns.lookup`), replaceable in tests. */
  lookup?: Resolve | typeof dnsLookup;
  connections?: number;
}

export class BlockedTargetError extends Error {
  readonly code = 'FCWH_BLOCKED_TARGET';
}

export interface Sender {
  send(url: string, headers: Record<string, string>, body: string): Promise<SendResult>;
  close(): Promise<void>;
}

/** A resolver with `dns.lookup`'s callback signature (called with `all: true`). */
export type Resolve = (
  hostname: string,
  options: { all: true; verbatim?: boolean; family?: number; hints?: number },
  callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

/**
 * The `lookup` Node's socket calls for a host name: resolves once, refuses the whole answer if any A or AAAA record
 * is not allowed (one private record among public ones is enough), and hands back exactly the records it checked,
 * which are the ones the socket then dials. Node does not call it for IP literals (checkUrl covers those).
 */
export function createGuardedLookup(resolve: Resolve, policy: TargetPolicy) {
  return (
    hostname: string,
    opts: { all?: boolean; family?: number; hints?: number },
    callback: (err: Error | null, address: string | LookupAddress[], family?: number) => void,
  ): void => {
    const { all, ...rest } = opts;
    resolve(hostname, { ...rest, all: true, verbatim: true }, (err, addresses) => {
      if (err) return callback(err, []);
      if (addresses.length === 0) return callback(new Error(`${hostname} has no address`), []);
      for (const a of addresses) {
        const verdict = checkAddress(a.address, policy);
        if (!verdict.ok)
          return callback(new BlockedTargetError(`${hostname} resolves to a blocked ${verdict.reason}`), []);
      }
      if (all) return callback(null, addresses);
      const first = addresses[0]!;
      callback(null, first.address, first.family);
    });
  };
}

export function createSender(options: SenderOptions): Sender {
  const { policy, timeoutMs, maxReadBytes = 64 * 1024, excerptChars = 2048 } = options;
  try {
    parseAllowTargets(policy.allowTargets); // a malformed entry stops start-up, not a request later
  } catch (error) {
    throw new Error(`FCWH_ALLOW_TARGETS: ${(error as Error).message}`);
  }
  // Built once: a `ca` option would re-parse Node's ~140 root certificates (~40 ms of CPU) on every connection.
  const trust: { secureContext?: SecureContext } = options.caPem
    ? { secureContext: createSecureContext({ ca: [...rootCertificates, options.caPem] }) }
    : {};
  const guardedLookup = createGuardedLookup((options.lookup ?? dnsLookup) as Resolve, policy);
  const agent = new Agent({
    connections: options.connections ?? 256,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    connect: {
      timeout: Math.min(timeoutMs, 5000),
      lookup: guardedLookup as never,
      ...trust,
    },
  });

  // Allowlisted `host:port` entries skip the address check (the demo's and tests' loopback receivers).
  let exempt: Agent | undefined;

  async function send(url: string, headers: Record<string, string>, body: string): Promise<SendResult> {
    const started = performance.now();
    const ms = () => Math.round(performance.now() - started);
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return { ok: false, status: null, ms: 0, error: 'Invalid URL.', excerpt: '' };
    }
    const verdict = checkUrl(target, policy);
    if (!verdict.ok)
      return { ok: false, status: null, ms: ms(), error: `Blocked target: ${verdict.reason}.`, excerpt: '' };
    const exact = isExactlyAllowed(target.hostname, urlPort(target), policy);
    const signal = AbortSignal.timeout(timeoutMs);
    const exchange = (async () => {
      const res = await request(target, {
        method: 'POST',
        headers,
        body,
        signal,
        dispatcher: exact ? (exempt ??= plainAgent(options, trust)) : agent,
      });
      return { res, excerpt: await readExcerpt(res.body, maxReadBytes, excerptChars) };
    })();
    exchange.catch(() => undefined); // when the deadline wins the race, undici's own error comes later
    try {
      // undici honours the signal while waiting for headers and body, but not while a TLS handshake hangs.
      const { res, excerpt } = await Promise.race([exchange, deadline(signal)]);
      const status = res.statusCode;
      if (status >= 200 && status < 300) return { ok: true, status, ms: ms(), excerpt };
      const retryAfter = parseRetryAfter(res.headers['retry-after']);
      return {
        ok: false,
        status,
        ms: ms(),
        error: status >= 300 && status < 400 ? `HTTP ${status} redirect (not followed).` : `HTTP ${status}.`,
        excerpt,
        ...(retryAfter !== undefined ? { retryAfter } : {}),
      };
    } catch (error) {
      return { ok: false, status: null, ms: ms(), error: describeError(error, signal), excerpt: '' };
    }
  }
  return { send, close: async () => void (await Promise.all([agent.close(), exempt?.close()])) };
}

/** Rejects when `signal` aborts: the attempt's hard deadline. */
function deadline(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) return reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

/** The agent for exact `host:port` allowlist entries: the operator vouched for the target, whatever it resolves to. */
function plainAgent(options: SenderOptions, trust: { secureContext?: SecureContext }): Agent {
  return new Agent({
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    connect: {
      timeout: Math.min(options.timeoutMs, 5000),
      ...trust,
    },
  });
}

/**
 * Reads at most `maxBytes` of a response body (then cuts the connection) and keeps only the first `chars`
 * characters: a receiver that streams a gigabyte costs 64 KB of reading and a few KB of memory.
 */
async function readExcerpt(
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

function describeError(error: unknown, signal: AbortSignal): string {
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

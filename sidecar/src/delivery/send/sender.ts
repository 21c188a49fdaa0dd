/**
 * The SSRF-safe HTTP client: resolves the host once, refuses the connection if any resolved address is not public,
 * connects to the address it checked (no second lookup, so DNS rebinding cannot switch it), never follows
 * redirects, bounds the whole attempt in time and reads at most a small part of the answer.
 */
import { lookup as dnsLookup } from 'node:dns';
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';
import { Agent } from 'undici';
import { exchange, type SendResult } from './exchange.ts';
import { createGuardedLookup, type OnBlocked, type Resolve } from './guarded-lookup.ts';
import { createTargetJudge, parseAllowTargets, type TargetPolicy } from './target-policy.ts';

export { BlockedTargetError, createGuardedLookup, type Resolve } from './guarded-lookup.ts';
export { parseRetryAfter } from './response.ts';
export type { SendResult } from './exchange.ts';

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
  /** Told what a refused host name resolved to; results and last_error only say it is not a public address. */
  onBlocked?: OnBlocked;
  connections?: number;
  /** How many URL strings keep their parsed URL and policy verdict (least recently used dropped first). */
  targetCacheSize?: number;
}

export interface Sender {
  send(url: string, headers: Record<string, string>, body: string | Buffer): Promise<SendResult>;
  close(): Promise<void>;
}

export function createSender(options: SenderOptions): Sender {
  const { policy, timeoutMs, maxReadBytes = 64 * 1024, excerptChars = 2048 } = options;
  try {
    parseAllowTargets(policy.allowTargets); // a malformed entry stops start-up, not a request later
  } catch (error) {
    throw new Error(`FCWH_ALLOW_TARGETS: ${(error as Error).message}`);
  }
  // Built once: a `ca` option would re-parse Node's bundled root certificates on every connection.
  const trust: { secureContext?: SecureContext } = options.caPem
    ? { secureContext: createSecureContext({ ca: [...rootCertificates, options.caPem] }) }
    : {};
  const guardedLookup = createGuardedLookup(
    (options.lookup ?? dnsLookup) as Resolve,
    policy,
    options.onBlocked,
  );
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
  // Parsed and judged once per URL string: every delivery of a webhook has the same URL.
  const judgeTarget = createTargetJudge(policy, options.targetCacheSize);

  const limits = { timeoutMs, maxReadBytes, excerptChars };

  function send(url: string, headers: Record<string, string>, body: string | Buffer): Promise<SendResult> {
    const started = performance.now();
    const target = judgeTarget(url);
    if (!target.ok) {
      const ms = Math.round(performance.now() - started);
      return Promise.resolve({ ok: false, status: null, ms, error: target.error, excerpt: '' });
    }
    const dispatcher = target.exact ? (exempt ??= plainAgent(options, trust)) : agent;
    return exchange(dispatcher, { origin: target.origin, path: target.path, headers, body }, limits, started);
  }
  return { send, close: async () => void (await Promise.all([agent.close(), exempt?.close()])) };
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

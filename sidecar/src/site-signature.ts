/** Signatures the WordPress site checks (shared/site-calls.ts): the loop guard and the webhook-disabled notice. */
import { createHmac } from 'node:crypto';
import { isIP } from 'node:net';
import { loopGuard } from '../../shared/site-calls.ts';

/** `t=<timestamp>,v1=<hex HMAC-SHA256 of "<purpose>.<timestamp>.<payload>">`; `timestamp` in Unix seconds. */
export function siteSignature(secret: string, purpose: string, timestamp: number, payload: string): string {
  const mac = createHmac('sha256', secret).update(`${purpose}.${timestamp}.`).update(payload);
  return `t=${timestamp},v1=${mac.digest('hex')}`;
}

/** Hostname of a URL as WHATWG parses it (lower case, IPv6 in brackets), or undefined when it is no URL. */
function hostnameOf(url: string | URL): string | undefined {
  try {
    return (typeof url === 'string' ? new URL(url) : url).hostname;
  } catch {
    return undefined;
  }
}

/**
 * The loop-guard header of a delivery to `target`, or none: only a delivery to the site's own host carries it, so
 * no other receiver ever holds a signature the site would trust. `msgId` is the delivery's `webhook-id`.
 */
export function loopGuardHeaders(
  secret: string,
  siteUrl: string | undefined,
  target: string | URL,
  msgId: string,
  timestamp: number,
): Record<string, string> {
  const site = siteUrl === undefined ? undefined : hostnameOf(siteUrl);
  if (site === undefined || site !== hostnameOf(target)) return {};
  return { [loopGuard.header]: siteSignature(secret, loopGuard.purpose, timestamp, msgId) };
}

/** Whether a hostname (as URL.hostname gives it) is a loopback name or address. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

/** What withLoopGuard needs of a sender: send(url, headers, body) with the delivery's `webhook-id` header. */
interface Sends {
  send(url: string, headers: Record<string, string>, ...rest: never[]): Promise<unknown>;
}

/**
 * Wraps a sender so that deliveries (and tests) to the site's own host carry the loop-guard header. Added at send
 * time, after the request headers are logged: the delivery log never holds a signature the site trusts.
 */
export function withLoopGuard<S extends Sends>(
  sender: S,
  secret: string,
  siteUrl: string | undefined,
  now: () => number = Date.now,
): S {
  if (siteUrl === undefined) return sender;
  const send = (url: string, headers: Record<string, string>, ...rest: never[]) => {
    const msgId = headers['webhook-id'];
    const guard =
      msgId === undefined ? {} : loopGuardHeaders(secret, siteUrl, url, msgId, Math.floor(now() / 1000));
    return sender.send(url, loopGuard.header in guard ? { ...headers, ...guard } : headers, ...rest);
  };
  return Object.assign(Object.create(sender) as S, { send });
}

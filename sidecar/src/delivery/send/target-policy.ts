/**
 * Which hosts a webhook may reach: public unicast addresses on allowed ports over HTTPS, plus an explicit allowlist.
 * Checked when a webhook is saved (literal IPs, local names, port) and again on every send and connection.
 */
import ipaddr from 'ipaddr.js';

export interface TargetPolicy {
  /** Exact `host:port` entries and CIDR ranges exempt from the block. */
  readonly allowTargets: readonly string[];
  /** Inclusive port ranges. */
  readonly allowedPorts: readonly (readonly [number, number])[];
}

export type Verdict = { ok: true } | { ok: false; reason: string };

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];
interface Allowlist {
  exact: { host: string; port: number }[];
  cidrs: Cidr[];
}

/** IPv6 global unicast (RFC 4291); everything outside it is reserved, local or special-purpose. */
const globalUnicast6 = ipaddr.parseCIDR('2000::/3');
/** IPv4-compatible IPv6 (deprecated, RFC 4291 §2.5.5.1): `::a.b.c.d` embeds IPv4 too. */
const ipv4Compatible = ipaddr.parseCIDR('::/96');
/** Host names that never leave the machine or the site's network (RFC 6761, RFC 8375, ICANN `.internal`). */
const localSuffixes = ['localhost', 'local', 'localdomain', 'internal', 'home.arpa'];

const parsedAllowlists = new WeakMap<readonly string[], Allowlist>();

/**
 * Parses allowlist entries (`host:port`, `[v6]:port` or CIDR `a.b.c.d/n`, `v6/n`); throws on a malformed one, so a
 * bad FCWH_ALLOW_TARGETS stops the sidecar at start-up instead of failing requests later.
 */
export function parseAllowTargets(entries: readonly string[]): Allowlist {
  const list: Allowlist = { exact: [], cidrs: [] };
  for (const entry of entries) {
    if (entry.includes('/')) {
      try {
        list.cidrs.push(ipaddr.parseCIDR(entry));
      } catch {
        throw new Error(`"${entry}" is not a CIDR range such as 10.0.0.0/8 or fd00::/8`);
      }
      continue;
    }
    const colon = entry.lastIndexOf(':');
    const host = bareHost(entry.slice(0, colon));
    const port = Number(entry.slice(colon + 1));
    if (colon <= 0 || host === '' || !Number.isInteger(port) || port < 1 || port > 65535)
      throw new Error(`"${entry}" is not host:port (e.g. 127.0.0.1:8443) or a CIDR range`);
    list.exact.push({ host: canonicalHost(host), port });
  }
  return list;
}

function allowlist(policy: TargetPolicy): Allowlist {
  let list = parsedAllowlists.get(policy.allowTargets);
  if (!list) {
    list = parseAllowTargets(policy.allowTargets);
    parsedAllowlists.set(policy.allowTargets, list);
  }
  return list;
}

/** Strips brackets from an IPv6 URL host, a DNS root dot, and lower-cases. */
export const bareHost = (host: string) =>
  host
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.+$/, '')
    .toLowerCase();

/** One spelling per address, so `[0:0::1]` and `::1` compare equal; names as they are. */
const canonicalHost = (host: string) => (ipaddr.isValid(host) ? ipaddr.parse(host).toString() : host);

/** True when `host:port` is listed exactly in the allowlist. */
export function isExactlyAllowed(host: string, port: number, policy: TargetPolicy): boolean {
  const h = canonicalHost(bareHost(host));
  return allowlist(policy).exact.some((e) => e.host === h && e.port === port);
}

/**
 * Classifies an IP address. Only global unicast passes: loopback, private, link-local, unique-local, multicast,
 * carrier-grade NAT, reserved, documentation, benchmarking and unspecified ranges are refused, and so is every
 * IPv6 form that embeds IPv4 (mapped, compatible, NAT64 64:ff9b::/96 and /48, 6to4, Teredo), whatever it embeds.
 * CIDR entries of the allowlist pass.
 */
export function checkAddress(address: string, policy: TargetPolicy): Verdict {
  const host = bareHost(address);
  // ipaddr.parse would also read `0x7f.1` or `127.1`; a resolved address is never written so.
  if (!ipaddr.IPv4.isValidFourPartDecimal(host) && !ipaddr.IPv6.isValid(host))
    return { ok: false, reason: `"${address}" is not an IP address` };
  const ip = ipaddr.parse(host);
  if (allowlist(policy).cidrs.some(([range, bits]) => range.kind() === ip.kind() && ip.match(range, bits)))
    return { ok: true };
  const range = ip.range();
  const refuse = (what: string) => ({ ok: false as const, reason: `address ${ip.toString()} is ${what}` });
  if (range !== 'unicast') return refuse(`${range}, not public`);
  if (ip.kind() === 'ipv6') {
    if (ip.match(ipv4Compatible)) return refuse('IPv4-compatible IPv6, not public');
    if (!ip.match(globalUnicast6)) return refuse('outside IPv6 global unicast (2000::/3), not public');
  }
  return { ok: true };
}

export function checkPort(port: number, policy: TargetPolicy): Verdict {
  return policy.allowedPorts.some(([lo, hi]) => port >= lo && port <= hi)
    ? { ok: true }
    : { ok: false, reason: `port ${port} is not allowed` };
}

/** The port a URL connects to. */
export const urlPort = (url: URL) => (url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80);

/**
 * What can be decided from the URL alone, before any DNS lookup: the scheme (https only), credentials, literal IPs
 * (WHATWG URL parsing has already turned `127.1`, `2130706433`, `0x7f.1` and `017700000001` into `127.0.0.1`),
 * local names and the port. Node connects to an IP literal without calling `lookup`, so this is the only check a
 * literal gets: it must run before every request, not only when the webhook is saved.
 */
export function checkUrl(url: URL, policy: TargetPolicy): Verdict {
  if (url.protocol !== 'https:') return { ok: false, reason: `scheme ${url.protocol} is not https` };
  if (url.username !== '' || url.password !== '') return { ok: false, reason: 'URL carries credentials' };
  const port = urlPort(url);
  if (isExactlyAllowed(url.hostname, port, policy)) return { ok: true };
  const portVerdict = checkPort(port, policy);
  if (!portVerdict.ok) return portVerdict;
  const host = bareHost(url.hostname);
  if (ipaddr.isValid(host)) return checkAddress(host, policy);
  if (!host.includes('.') || localSuffixes.some((s) => host === s || host.endsWith(`.${s}`)))
    return { ok: false, reason: `host "${host}" is local` };
  return { ok: true };
}

/**
 * A webhook URL as the sender needs it: parsed and judged (with undici's `origin` and `path`, query included), or
 * the sentence that refuses it.
 */
export type JudgedTarget =
  { ok: true; url: URL; origin: string; path: string; exact: boolean } | { ok: false; error: string };

/**
 * Judges a URL string once: parsing, `checkUrl` and the exact-allowlist test depend only on the string and the
 * (frozen) policy, so the answer is kept, for the `max` most recently used strings. What a name resolves to is
 * not kept here: the guarded lookup checks it on every connection.
 */
export function createTargetJudge(policy: TargetPolicy, max = 10_000): (url: string) => JudgedTarget {
  const cache = new Map<string, JudgedTarget>();
  return (raw) => {
    let judged = cache.get(raw);
    if (judged) {
      cache.delete(raw); // re-inserted below: a Map iterates in insertion order, so the first key is the LRU
    } else {
      judged = judge(raw, policy);
      if (cache.size >= max) cache.delete(cache.keys().next().value!);
    }
    cache.set(raw, judged);
    return judged;
  };
}

function judge(raw: string, policy: TargetPolicy): JudgedTarget {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, error: 'Invalid URL.' };
  }
  const verdict = checkUrl(url, policy);
  if (!verdict.ok) return { ok: false, error: `Blocked target: ${verdict.reason}.` };
  const path = url.search ? `${url.pathname}${url.search}` : url.pathname;
  return {
    ok: true,
    url,
    origin: url.origin,
    path,
    exact: isExactlyAllowed(url.hostname, urlPort(url), policy),
  };
}

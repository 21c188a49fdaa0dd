/**
 * Which hosts a webhook may reach: public unicast addresses on allowed ports, plus an explicit allowlist.
 * Checked when a webhook is saved (literal IPs, localhost) and again on every connection (resolved addresses).
 */
import ipaddr from 'ipaddr.js';

export interface TargetPolicy {
  /** Exact `host:port` entries and CIDR ranges exempt from the block. */
  readonly allowTargets: readonly string[];
  /** Inclusive port ranges. */
  readonly allowedPorts: readonly (readonly [number, number])[];
}

type Verdict = { ok: true } | { ok: false; reason: string };

const parsedCidrs = new WeakMap<readonly string[], [ipaddr.IPv4 | ipaddr.IPv6, number][]>();

function allowCidrs(policy: TargetPolicy): [ipaddr.IPv4 | ipaddr.IPv6, number][] {
  let cidrs = parsedCidrs.get(policy.allowTargets);
  if (!cidrs) {
    cidrs = policy.allowTargets.filter((t) => t.includes('/')).map((t) => ipaddr.parseCIDR(t));
    parsedCidrs.set(policy.allowTargets, cidrs);
  }
  return cidrs;
}

/** Strips brackets from an IPv6 URL host. */
export const bareHost = (host: string) => host.replace(/^\[(.*)\]$/, '$1').toLowerCase();

/** True when `host:port` is listed exactly in the allowlist. */
export function isExactlyAllowed(host: string, port: number, policy: TargetPolicy): boolean {
  const h = bareHost(host);
  return policy.allowTargets.some(
    (t) => !t.includes('/') && bareHost(t.slice(0, t.lastIndexOf(':'))) === h && t.endsWith(`:${port}`),
  );
}

/**
 * Classifies an IP address. Anything but global unicast is refused (loopback, private, link-local, unique-local,
 * multicast, CGNAT, reserved and documentation ranges, unspecified); IPv6 forms that embed IPv4 (mapped, NAT64,
 * 6to4, Teredo) are refused too, whatever they embed.
 */
export function checkAddress(address: string, policy: TargetPolicy): Verdict {
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    ip = ipaddr.parse(bareHost(address));
  } catch {
    return { ok: false, reason: `"${address}" is not an IP address` };
  }
  if (allowCidrs(policy).some(([range, bits]) => range.kind() === ip.kind() && ip.match(range, bits)))
    return { ok: true };
  const range = ip.range();
  if (range !== 'unicast') return { ok: false, reason: `address ${ip.toString()} is ${range}, not public` };
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
 * What can be decided from the URL alone, before any DNS lookup: literal IPs (WHATWG URL parsing has already
 * turned `127.1`, `2130706433`, `0x7f.1` and `017700000001` into `127.0.0.1`), localhost names and the port.
 */
export function checkUrl(url: URL, policy: TargetPolicy): Verdict {
  const port = urlPort(url);
  if (isExactlyAllowed(url.hostname, port, policy)) return { ok: true };
  const portVerdict = checkPort(port, policy);
  if (!portVerdict.ok) return portVerdict;
  const host = bareHost(url.hostname);
  if (ipaddr.isValid(host)) return checkAddress(host, policy);
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local') || !host.includes('.')) {
    return { ok: false, reason: `host "${host}" is local` };
  }
  return { ok: true };
}

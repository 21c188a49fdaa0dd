/**
 * The DNS step of the SSRF guard: the `lookup` the sender's sockets call, which resolves a host once, refuses it
 * when any of its addresses is not allowed, and hands the socket exactly the addresses it checked.
 */
import type { LookupAddress } from 'node:dns';
import { checkAddress, type TargetPolicy } from './target-policy.ts';

/**
 * Thrown (through the socket's connect) when a host resolves to an address the policy refuses. Its message names
 * the host only: what an internal name resolves to is the network's layout, kept for the log (`detail`).
 */
export class BlockedTargetError extends Error {
  readonly code = 'FCWH_BLOCKED_TARGET';
  /** The refused address and why, e.g. "address 10.0.3.7 is private, not public". */
  readonly detail: string;

  constructor(hostname: string, detail: string) {
    super(`${hostname} is not a public address`);
    this.detail = detail;
  }
}

/** Told the host and the refused address of each blocked lookup (for the log). */
export type OnBlocked = (hostname: string, detail: string) => void;

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
export function createGuardedLookup(resolve: Resolve, policy: TargetPolicy, onBlocked?: OnBlocked) {
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
        if (!verdict.ok) {
          onBlocked?.(hostname, verdict.reason);
          return callback(new BlockedTargetError(hostname, verdict.reason), []);
        }
      }
      if (all) return callback(null, addresses);
      const first = addresses[0]!;
      callback(null, first.address, first.family);
    });
  };
}

/**
 * A process-wide record of every address a socket of this test process is about to dial, which also refuses any
 * address off this machine: the tests' safety net (nothing here may reach the network) and their witness of which
 * address a connection really went to (the answer of the socket's `lookup`, or the literal it was given).
 */
import dns from 'node:dns';
import net from 'node:net';
import ipaddr from 'ipaddr.js';

export interface Dial {
  /** The host the socket was asked to connect to (a name or a literal). */
  host: string;
  port: number;
  /** The addresses handed to the socket: what it dials. */
  addresses: string[];
  /** True when the guard refused because an address is not loopback. */
  refused: boolean;
}

export interface DialGuard {
  readonly dials: Dial[];
  /** Dials to `port` (any host). */
  to(port: number): Dial[];
  uninstall(): void;
}

type LookupCallback = (err: Error | null, address: string | dns.LookupAddress[], family?: number) => void;
type Lookup = (host: string, options: object, callback: LookupCallback) => void;

const isLoopback = (address: string): boolean => {
  if (!ipaddr.isValid(address)) return false;
  const ip = ipaddr.process(address);
  return ip.range() === 'loopback';
};

let installed: DialGuard | null = null;

/** Patches `net.Socket.prototype.connect` (TLS sockets inherit it) until `uninstall()`. */
export function installDialGuard(): DialGuard {
  if (installed) throw new Error('dial guard already installed');
  const original = net.Socket.prototype.connect;
  const dials: Dial[] = [];

  function guardedConnect(this: net.Socket, ...args: unknown[]): net.Socket {
    // net.createConnection passes one pre-normalised array; tls.connect passes (options, callback).
    const holder = (Array.isArray(args[0]) ? args[0] : args) as unknown[];
    const options = holder[0];
    // Unix sockets (`path`) never leave the machine; undici passes `path: undefined` for TCP.
    if (typeof options !== 'object' || options === null || (options as { path?: unknown }).path) {
      return original.apply(this, args as never);
    }
    const opts = options as { host?: string; port?: number | string; lookup?: Lookup };
    const host = opts.host ?? 'localhost';
    const port = Number(opts.port);
    if (net.isIP(host)) {
      const refused = !isLoopback(host);
      dials.push({ host, port, addresses: [host], refused });
      if (refused) {
        process.nextTick(() => this.destroy(new Error(`dial guard: refused ${host}:${port}`)));
        return this;
      }
      return original.apply(this, args as never);
    }
    const inner: Lookup = opts.lookup ?? (dns.lookup as unknown as Lookup);
    const lookup: Lookup = (name, lookupOptions, callback) =>
      inner(name, lookupOptions, (err, address, family) => {
        if (err) return callback(err, address, family);
        const addresses = Array.isArray(address) ? address.map((a) => a.address) : [address];
        const refused = addresses.some((a) => !isLoopback(a));
        dials.push({ host: name, port, addresses, refused });
        if (refused) return callback(new Error(`dial guard: refused ${addresses.join(', ')}`), []);
        callback(null, address, family);
      });
    holder[0] = { ...opts, lookup };
    return original.apply(this, args as never);
  }

  net.Socket.prototype.connect = guardedConnect as typeof original;
  installed = {
    dials,
    to: (port) => dials.filter((d) => d.port === port),
    uninstall() {
      net.Socket.prototype.connect = original;
      installed = null;
    },
  };
  return installed;
}

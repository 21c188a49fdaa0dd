/**
 * Servers for the security tests, all on loopback: a canary that must never be reached, hostile receivers (drip,
 * silence, no TLS, a gigabyte body, endless headers), a certificate for test names, and a stub resolver.
 */
import { execFile } from 'node:child_process';
import type { LookupAddress } from 'node:dns';
import fs from 'node:fs';
import type http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { promisify } from 'node:util';
import type { TlsFiles, TlsMaterial } from '../../scripts/stack/tls.ts';
import type { Resolve } from '../../sidecar/src/delivery/send/sender.ts';

const run = promisify(execFile);

export interface Closable {
  close(): Promise<void>;
}

function listen(server: net.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}

function closeServer(server: net.Server, sockets: Set<net.Socket>): Promise<void> {
  for (const socket of sockets) socket.destroy();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Keeps every socket of `server` so close() can cut them. */
function track(server: net.Server): Set<net.Socket> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return sockets;
}

export interface Canary extends Closable {
  readonly port: number;
  /** Every TCP connection accepted, on either address. */
  readonly connections: { address: string; at: number }[];
}

/**
 * A TCP listener on 127.0.0.1 and ::1 with the same port (`preferPort` when free): any connection to it means a
 * blocked target was reached.
 */
export async function startCanary(preferPort = 0): Promise<Canary> {
  for (let tries = 0; tries < 20; tries++) {
    const connections: { address: string; at: number }[] = [];
    const servers = ['127.0.0.1', '::1'].map(() =>
      net.createServer((socket) => {
        connections.push({ address: socket.localAddress ?? '?', at: Date.now() });
        socket.destroy();
      }),
    );
    const [v4, v6] = servers as [net.Server, net.Server];
    const sockets = servers.map(track);
    try {
      const port = await listen(v4, tries === 0 ? preferPort : 0, '127.0.0.1');
      await listen(v6, port, '::1');
      return {
        port,
        connections,
        close: async () => void (await Promise.all(servers.map((s, i) => closeServer(s, sockets[i]!)))),
      };
    } catch {
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    }
  }
  throw new Error('canary: no port free on both 127.0.0.1 and ::1');
}

/** A leaf certificate for `names` (DNS names or IPs), signed by the run's test CA. */
export async function issueCertificate(
  ca: TlsFiles,
  names: string[],
): Promise<{ cert: string; key: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fcwh-cert-'));
  try {
    const file = (name: string) => path.join(dir, name);
    const san = names.map((n) => (net.isIP(n) ? `IP:${n}` : `DNS:${n}`)).join(',');
    fs.writeFileSync(file('ext'), `basicConstraints=CA:FALSE\nsubjectAltName=${san}\n`);
    await run(
      'openssl',
      ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('key')].concat([
        '-out',
        file('csr'),
        '-subj',
        '/CN=fcwh security test',
      ]),
    );
    await run(
      'openssl',
      ['x509', '-req', '-in', file('csr'), '-CA', ca.caFile, '-CAkey', ca.caKeyFile]
        .concat(['-CAcreateserial', '-CAserial', file('srl'), '-out', file('crt'), '-days', '2'])
        .concat(['-extfile', file('ext')]),
    );
    return { cert: fs.readFileSync(file('crt'), 'utf8'), key: fs.readFileSync(file('key'), 'utf8') };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export interface TestServer extends Closable {
  readonly port: number;
  /** Local addresses of the connections it accepted (what the client really dialed). */
  readonly accepted: string[];
  /** Requests answered (HTTPS servers only). */
  readonly requests: number;
  /** Bytes written to clients so far, on all connections. */
  readonly bytesWritten: () => number;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** An HTTPS server on `host` answering every request with `handler` (or 200 "ok"). */
export async function startHttps(
  material: Pick<TlsMaterial, 'cert' | 'key'>,
  options: { host?: string; port?: number; handler?: Handler } = {},
): Promise<TestServer> {
  const accepted: string[] = [];
  let requests = 0;
  const handler: Handler = options.handler ?? ((_req, res) => res.end('ok'));
  const server = https.createServer({ cert: material.cert, key: material.key }, (req, res) => {
    requests++;
    req.resume();
    handler(req, res);
  });
  server.on('secureConnection', (socket) => accepted.push(socket.localAddress ?? '?'));
  const sockets = track(server);
  const port = await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  return {
    port,
    accepted,
    get requests() {
      return requests;
    },
    bytesWritten: () => [...sockets].reduce((n, s) => n + s.bytesWritten, 0),
    close: () => closeServer(server, sockets),
  };
}

export type HostileKind =
  'drip-headers' | 'drip-body' | 'silent' | 'no-tls' | 'huge-body' | 'endless-headers';

export interface HostileServer extends Closable {
  readonly kind: HostileKind;
  readonly port: number;
  /** TCP connections accepted. */
  readonly connections: () => number;
  /** Bytes written to clients, including connections already closed. */
  readonly bytesWritten: () => number;
}

const GB = 1024 ** 3;

/**
 * A receiver that misbehaves in one way:
 * - `drip-headers`: completes TLS, then sends the status line and headers one byte a second;
 * - `drip-body`: sends headers at once, then the body one byte a second;
 * - `silent`: completes TLS, reads the request, never answers;
 * - `no-tls`: accepts TCP and never speaks (the TLS handshake never ends);
 * - `huge-body`: answers 200 with a 1 GB body, streamed as fast as the client reads;
 * - `endless-headers`: sends header lines forever.
 */
export async function startHostile(kind: HostileKind, material: Pick<TlsMaterial, 'cert' | 'key'>) {
  let connections = 0;
  let closedBytes = 0;
  const timers = new Set<NodeJS.Timeout>();
  const drip = (socket: net.Socket, text: string) => {
    let i = 0;
    const timer = setInterval(() => {
      if (socket.destroyed || i >= text.length) return clearInterval(timer);
      socket.write(text[i++]!);
    }, 1000);
    timers.add(timer);
  };
  const stream = (socket: net.Socket, total: number, chunk: Buffer) => {
    let sent = 0;
    const pump = () => {
      while (!socket.destroyed && sent < total) {
        sent += chunk.length;
        if (!socket.write(chunk)) return void socket.once('drain', pump);
      }
      if (sent >= total) socket.end();
    };
    pump();
  };
  const onRequest = (socket: net.Socket) => {
    let seen = '';
    socket.on('data', (data: Buffer) => {
      if (seen.includes('\r\n\r\n')) return;
      seen += data.toString('latin1');
      if (!seen.includes('\r\n\r\n')) return;
      if (kind === 'drip-headers') drip(socket, 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok');
      if (kind === 'drip-body') {
        socket.write('HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n');
        drip(socket, 'x'.repeat(1000));
      }
      if (kind === 'huge-body') {
        socket.write(`HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: ${GB}\r\n\r\n`);
        stream(socket, GB, Buffer.alloc(64 * 1024, 'A'));
      }
      if (kind === 'endless-headers') {
        socket.write('HTTP/1.1 200 OK\r\n');
        stream(socket, GB, Buffer.from(`x-filler: ${'y'.repeat(1000)}\r\n`));
      }
    });
  };
  const server =
    kind === 'no-tls'
      ? net.createServer(() => undefined)
      : tls.createServer({ cert: material.cert, key: material.key }, onRequest);
  server.on('connection', (socket: net.Socket) => {
    connections++;
    socket.on('error', () => undefined);
    socket.on('close', () => (closedBytes += socket.bytesWritten));
  });
  const sockets = track(server);
  const port = await listen(server, 0, '127.0.0.1');
  return {
    kind,
    port,
    connections: () => connections,
    bytesWritten: () => closedBytes + [...sockets].reduce((n, s) => n + s.bytesWritten, 0),
    async close() {
      for (const timer of timers) clearInterval(timer);
      await closeServer(server, sockets);
    },
  } satisfies HostileServer;
}

/** A resolver answering from `table` (name → addresses, in order); unknown names fail like NXDOMAIN. */
export function stubResolver(table: Record<string, string[] | ((call: number) => string[])>) {
  const calls: string[] = [];
  const resolve: Resolve = (hostname, _options, callback) => {
    calls.push(hostname);
    const entry = table[hostname];
    const n = calls.filter((c) => c === hostname).length;
    const list = typeof entry === 'function' ? entry(n) : entry;
    setImmediate(() => {
      if (!list) {
        const err: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
        err.code = 'ENOTFOUND';
        return callback(err, []);
      }
      callback(
        null,
        list.map((address): LookupAddress => ({ address, family: net.isIP(address) as 4 | 6 })),
      );
    });
  };
  return { resolve, calls };
}

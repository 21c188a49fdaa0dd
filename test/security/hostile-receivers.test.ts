/**
 * Receivers that misbehave on purpose, on 127.0.0.1: every attempt must end within the request timeout, read at
 * most 64 KB, keep a few KB, and leave memory flat. Each runs through both dispatchers of the sender: an exact
 * `host:port` allowlist entry and a CIDR entry (the guarded agent every public target uses).
 */
import diagnostics from 'node:diagnostics_channel';
import type net from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readTls, type TlsMaterial } from '../../scripts/stack/tls.ts';
import { createSender, type SendResult } from '../../sidecar/src/delivery/send/sender.ts';
import { startHostile, type HostileKind, type HostileServer } from './servers.ts';

const timeoutMs = 2000;
/** How much later than a plain timer of the same length an attempt may end (the race and the bookkeeping). */
const slackMs = 250;
const readCap = 64 * 1024;

let material: TlsMaterial;
const servers: HostileServer[] = [];
/** Client sockets undici opened, by server port (a destroyed socket forgets its remote port), to read bytesRead. */
const clientSockets: { port: number; socket: net.Socket }[] = [];
const onConnected = (message: unknown) => {
  const { socket } = message as { socket: net.Socket };
  clientSockets.push({ port: socket.remotePort ?? 0, socket });
};

beforeAll(() => {
  material = readTls(inject('stack').tls);
  diagnostics.subscribe('undici:client:connected', onConnected);
});

afterAll(async () => {
  diagnostics.unsubscribe('undici:client:connected', onConnected);
  await Promise.all(servers.map((s) => s.close()));
});

async function hostile(kind: HostileKind): Promise<HostileServer> {
  const server = await startHostile(kind, material);
  servers.push(server);
  return server;
}

const modes = [
  { mode: 'exact host:port entry', allow: (port: number) => `127.0.0.1:${port}` },
  { mode: 'CIDR entry', allow: () => '127.0.0.1/32' },
];

/**
 * One attempt against `port` through a fresh sender. `timerMs` is when a plain timer of the same length, started
 * with the attempt, actually fired: on a loaded machine both are late by the same event-loop lag, so the deadline
 * is checked against it rather than against the nominal timeout.
 */
async function attempt(
  port: number,
  allow: string,
): Promise<{ result: SendResult; wallMs: number; timerMs: Promise<number> }> {
  const sender = createSender({
    policy: { allowTargets: [allow], allowedPorts: [[1024, 65535]] },
    timeoutMs,
    caPem: material.ca,
  });
  const started = performance.now();
  const timerMs = new Promise<number>((r) => setTimeout(() => r(performance.now() - started), timeoutMs));
  try {
    const result = await sender.send(`https://127.0.0.1:${port}/hook`, {}, '{"event":"hostile"}');
    return { result, wallMs: performance.now() - started, timerMs };
  } finally {
    void sender.close();
  }
}

const stalling: [HostileKind, string][] = [
  ['drip-headers', 'drips its status line and headers one byte a second'],
  ['drip-body', 'sends headers, then drips the body one byte a second'],
  ['silent', 'completes TLS, reads the request and never answers'],
  ['no-tls', 'accepts TCP and never speaks TLS'],
];

describe.concurrent('hostile receivers', () => {
  it.each(stalling)('gives up on a server that %s (%s) at the request timeout', async (kind) => {
    const server = await hostile(kind);
    for (const { result, wallMs, timerMs } of await Promise.all(
      modes.map((m) => attempt(server.port, m.allow(server.port))),
    )) {
      expect(result).toMatchObject({ ok: false, status: null, error: 'Timed out.', excerpt: '' });
      expect(result.ms).toBeGreaterThanOrEqual(timeoutMs - 50);
      expect(wallMs).toBeLessThanOrEqual((await timerMs) + slackMs);
    }
    expect(server.connections()).toBeGreaterThanOrEqual(2);
  });

  it('stops reading a server that sends header lines forever, long before the timeout', async () => {
    const server = await hostile('endless-headers');
    for (const { result, wallMs, timerMs } of await Promise.all(
      modes.map((m) => attempt(server.port, m.allow(server.port))),
    )) {
      // Stopped by the header size limit, not by the clock.
      expect(result).toMatchObject({
        ok: false,
        status: null,
        error: expect.stringMatching(/Headers Overflow/),
      });
      expect(wallMs).toBeLessThan(await timerMs);
    }
  });
});

describe('a receiver streaming a 1 GB body', () => {
  it.each(modes)(
    'reads at most 64 KB of it, keeps 2048 characters and returns at once, with memory flat ($mode)',
    async ({ allow }) => {
      const server = await hostile('huge-body');
      const before = process.memoryUsage();
      const { result } = await attempt(server.port, allow(server.port));
      const after = process.memoryUsage();
      // ok: the body was cut at the cap, not by the deadline.
      expect(result).toEqual({ ok: true, status: 200, ms: expect.any(Number), excerpt: 'A'.repeat(2048) });
      const sockets = clientSockets.filter((s) => s.port === server.port);
      expect(sockets).toHaveLength(1);
      // What the client took off the socket: the 64 KB cap plus the response head.
      expect(sockets[0]!.socket.bytesRead).toBeGreaterThanOrEqual(readCap);
      expect(sockets[0]!.socket.bytesRead).toBeLessThan(readCap + 4096);
      // What the server got rid of: kernel buffers on both ends, nowhere near the gigabyte it offered.
      await new Promise((r) => setTimeout(r, 50));
      expect(server.bytesWritten()).toBeLessThan(32 * 1024 * 1024);
      expect((after.rss - before.rss) / 2 ** 20).toBeLessThan(64);
      expect((after.heapUsed - before.heapUsed) / 2 ** 20).toBeLessThan(32);
    },
  );
});

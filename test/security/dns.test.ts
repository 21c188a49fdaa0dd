/**
 * DNS at send time. 127.0.0.2 stands in for a public address (allowlisted as a CIDR, so it passes the address check
 * exactly as a public one would) and 127.0.0.1 for the internal target; the canary listens there, on the same port.
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createSender, type Sender } from '../../sidecar/src/delivery/send/sender.ts';
import type { TargetPolicy } from '../../sidecar/src/delivery/send/target-policy.ts';
import { installDialGuard, type DialGuard } from './dial-guard.ts';
import {
  issueCertificate,
  startCanary,
  startHttps,
  stubResolver,
  type Canary,
  type TestServer,
} from './servers.ts';

const names = ['rebind.fcwh.test', 'flip.fcwh.test', 'stand-in.fcwh.test', 'mixed.fcwh.test', 'localhost'];
let ca: string;
let receiver: TestServer;
let canary: Canary;
let guard: DialGuard;
const senders: Sender[] = [];
const policy: TargetPolicy = { allowTargets: ['127.0.0.2/32'], allowedPorts: [[1024, 65535]] };

beforeAll(async () => {
  const files = inject('stack').tls;
  ca = readFileSync(files.caFile, 'utf8');
  const material = await issueCertificate(files, [...names, '127.0.0.1', '127.0.0.2']);
  // Connection: close makes every send open a new connection, so every send looks the name up again.
  receiver = await startHttps(material, {
    host: '127.0.0.2',
    handler: (_req, res) => res.writeHead(200, { connection: 'close' }).end('ok'),
  });
  canary = await startCanary(receiver.port);
  if (canary.port !== receiver.port) throw new Error('canary could not share the receiver port');
  guard = installDialGuard();
});

afterAll(async () => {
  await Promise.all(senders.map((s) => s.close()));
  guard?.uninstall();
  await Promise.all([receiver?.close(), canary?.close()]);
});

function senderWith(resolve: ReturnType<typeof stubResolver>['resolve']): Sender {
  const sender = createSender({ policy, timeoutMs: 3000, caPem: ca, lookup: resolve });
  senders.push(sender);
  return sender;
}

const url = (host: string) => `https://${host}:${receiver.port}/hook`;

describe('DNS rebinding', () => {
  it('dials the address it checked: a name answering public first and 127.0.0.1 later never reaches 127.0.0.1', async () => {
    const dns = stubResolver({ 'rebind.fcwh.test': (n) => (n === 1 ? ['127.0.0.2'] : ['127.0.0.1']) });
    const sender = senderWith(dns.resolve);
    const first = await sender.send(url('rebind.fcwh.test'), {}, '{}');
    expect(first).toMatchObject({ ok: true, status: 200 });
    expect(dns.calls).toEqual(['rebind.fcwh.test']);
    expect(receiver.accepted).toEqual(['127.0.0.2']);
    expect(guard.to(receiver.port)).toEqual([
      { host: 'rebind.fcwh.test', port: receiver.port, addresses: ['127.0.0.2'], refused: false },
    ]);

    const second = await sender.send(url('rebind.fcwh.test'), {}, '{}');
    expect(second).toMatchObject({
      ok: false,
      status: null,
      error: 'Blocked target: rebind.fcwh.test is not a public address.',
    });
    expect(dns.calls).toEqual(['rebind.fcwh.test', 'rebind.fcwh.test']);
    expect(canary.connections).toEqual([]);
  });

  it('looks a name up once per connection, so a resolver flipping on every call cannot split check and connect', async () => {
    // Odd calls answer the stand-in, even calls the canary: a check-then-connect design would always dial the canary.
    const dns = stubResolver({ 'flip.fcwh.test': (n) => (n % 2 === 1 ? ['127.0.0.2'] : ['127.0.0.1']) });
    const sender = senderWith(dns.resolve);
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await sender.send(url('flip.fcwh.test'), {}, '{}'));
    expect(results.map((r) => r.ok)).toEqual([true, false, true, false]);
    expect(dns.calls).toHaveLength(4);
    const dials = guard.to(receiver.port).filter((d) => d.host === 'flip.fcwh.test');
    expect(dials.map((d) => d.addresses)).toEqual([['127.0.0.2'], ['127.0.0.2']]);
    expect(canary.connections).toEqual([]);
  });
});

describe('names resolving to private addresses', () => {
  it.each([
    ['an A record', ['127.0.0.1']],
    ['an AAAA record', ['::1']],
    ['an IPv4-mapped AAAA record', ['::ffff:127.0.0.1']],
    ['a public A record followed by a private one', ['127.0.0.2', '127.0.0.1']],
    ['a private A record followed by a public one', ['127.0.0.1', '127.0.0.2']],
    ['a public A record and a private AAAA record', ['127.0.0.2', '::1']],
    ['a private AAAA record and a public A record', ['::1', '127.0.0.2']],
  ])('refuses a name with %s, and dials nothing', async (_label, addresses) => {
    const dns = stubResolver({ 'mixed.fcwh.test': addresses });
    const dialsBefore = guard.dials.length;
    const accepted = receiver.accepted.length;
    const result = await senderWith(dns.resolve).send(url('mixed.fcwh.test'), {}, '{}');
    expect(result).toMatchObject({
      ok: false,
      status: null,
      error: expect.stringMatching(/^Blocked target: /),
    });
    expect(guard.dials.length).toBe(dialsBefore);
    expect(receiver.accepted.length).toBe(accepted);
    expect(canary.connections).toEqual([]);
  });

  it('delivers to a name whose every record passes (the stand-in public address)', async () => {
    const dns = stubResolver({ 'stand-in.fcwh.test': ['127.0.0.2'] });
    expect(await senderWith(dns.resolve).send(url('stand-in.fcwh.test'), {}, '{}')).toMatchObject({
      ok: true,
    });
  });

  it('still checks that the certificate names the host it resolved', async () => {
    const dns = stubResolver({ 'not-on-the-certificate.fcwh.test': ['127.0.0.2'] });
    const result = await senderWith(dns.resolve).send(url('not-on-the-certificate.fcwh.test'), {}, '{}');
    expect(result).toMatchObject({
      ok: false,
      status: null,
      error: 'TLS error: ERR_TLS_CERT_ALTNAME_INVALID.',
    });
  });
});

describe('IP literals', () => {
  it('confirms that Node calls no lookup for an IP literal, only for a name', async () => {
    const looked: string[] = [];
    const agent = new Agent({
      connect: {
        ca,
        lookup: ((host: string, opts: { all?: boolean }, cb: (...a: unknown[]) => void) => {
          looked.push(host);
          cb(null, opts.all ? [{ address: '127.0.0.2', family: 4 }] : '127.0.0.2', 4);
        }) as never,
      },
    });
    try {
      const byLiteral = await request(`https://127.0.0.2:${receiver.port}/`, {
        dispatcher: agent,
        method: 'POST',
      });
      await byLiteral.body.dump();
      expect(looked).toEqual([]);
      const byName = await request(`https://stand-in.fcwh.test:${receiver.port}/`, {
        dispatcher: agent,
        method: 'POST',
      });
      await byName.body.dump();
      expect(looked).toEqual(['stand-in.fcwh.test']);
    } finally {
      await agent.close();
    }
  });

  it('so the sender checks literals itself before the request: an allowed one goes out without any lookup', async () => {
    const dns = stubResolver({});
    const sender = senderWith(dns.resolve);
    expect(await sender.send(url('127.0.0.2'), {}, '{}')).toMatchObject({ ok: true, status: 200 });
    expect(dns.calls).toEqual([]);
  });

  it('and a blocked one never opens a socket, though no lookup would have caught it', async () => {
    const dns = stubResolver({});
    const dialsBefore = guard.dials.length;
    for (const host of ['127.0.0.1', '[::1]', '[::ffff:127.0.0.1]', '2130706433']) {
      const result = await senderWith(dns.resolve).send(url(host), {}, '{}');
      expect(result, host).toMatchObject({
        ok: false,
        error: expect.stringMatching(/^Blocked target: address /),
      });
    }
    expect(dns.calls).toEqual([]);
    expect(guard.dials.length).toBe(dialsBefore);
    expect(canary.connections).toEqual([]);
  });
});

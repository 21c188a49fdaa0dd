/**
 * The sender keeps each URL's parsed form and policy verdict, never what its name resolves to: with the verdict
 * cached, every new connection still resolves the name and checks every address.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createSender, type Sender } from '../../sidecar/src/delivery/send/sender.ts';
import type { TargetPolicy } from '../../sidecar/src/delivery/send/target-policy.ts';
import {
  issueCertificate,
  startCanary,
  startHttps,
  stubResolver,
  type Canary,
  type TestServer,
} from './servers.ts';

let receiver: TestServer;
let canary: Canary;
let sender: Sender | undefined;
let ca: string;
const policy: TargetPolicy = { allowTargets: ['127.0.0.2/32'], allowedPorts: [[1024, 65535]] };

beforeAll(async () => {
  const files = inject('stack').tls;
  ca = readFileSync(files.caFile, 'utf8');
  const material = await issueCertificate(files, ['cached.fcwh.test', '127.0.0.2']);
  // Connection: close, so every send opens a new connection.
  receiver = await startHttps(material, {
    host: '127.0.0.2',
    handler: (_req, res) => res.writeHead(200, { connection: 'close' }).end('ok'),
  });
  canary = await startCanary(receiver.port);
});

afterAll(async () => {
  await sender?.close();
  await Promise.all([receiver?.close(), canary?.close()]);
});

describe('the per-URL verdict cache', () => {
  it('still resolves and checks a name on every connection of the same URL', async () => {
    // Public (the stand-in) twice, then loopback: the third send must be refused although its URL was judged.
    const dns = stubResolver({ 'cached.fcwh.test': (n) => (n <= 2 ? ['127.0.0.2'] : ['127.0.0.1']) });
    sender = createSender({ policy, timeoutMs: 3000, caPem: ca, lookup: dns.resolve });
    const url = `https://cached.fcwh.test:${receiver.port}/hook`;
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await sender.send(url, {}, '{}'));
    expect(results.map((r) => r.ok)).toEqual([true, true, false, false]);
    expect(results[2]).toMatchObject({
      error: 'Blocked target: cached.fcwh.test is not a public address.',
    });
    expect(dns.calls).toHaveLength(4);
    expect(canary.connections).toEqual([]);
  });
});

/** The HTTPS receiver: recording, programmed answers, waiting, and the test CA it chains to. */
import { Agent, request } from 'undici';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startReceiver, type Receiver } from '../../scripts/stack/receiver.ts';
import { ensureCertificates, readTls } from '../../scripts/stack/tls.ts';

let receiver: Receiver;
let agent: Agent;
const logFile = path.join(inject('stack').runDir, `receiver-test-${process.pid}.jsonl`);

beforeAll(async () => {
  const tls = readTls(inject('stack').tls);
  receiver = await startReceiver({ tls, httpPort: 0, logFile });
  agent = new Agent({ connect: { ca: tls.ca } });
});
afterAll(async () => {
  await agent?.close();
  await receiver?.close();
});

const post = (url: string, body: string) =>
  request(url, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', 'x-test': 'yes' },
    dispatcher: agent,
  });

describe('the receiver', () => {
  it('records an HTTPS request verified against the test CA, body and headers intact', async () => {
    receiver.clear();
    const response = await post(`${receiver.url}/hooks/a?x=1`, '{"event":"feed.created"}');
    expect(response.statusCode).toBe(200);
    expect(await response.body.text()).toBe('ok');
    const [got] = await receiver.waitForRequests(1);
    expect(got).toMatchObject({
      method: 'POST',
      path: '/hooks/a?x=1',
      body: '{"event":"feed.created"}',
      scheme: 'https',
    });
    expect(got?.headers['x-test']).toBe('yes');
    expect(got?.receivedAt).toBeGreaterThan(Date.now() - 10_000);
    const lines = fs.readFileSync(logFile, 'utf8').trim().split('\n');
    expect(JSON.parse(lines.at(-1) ?? '{}')).toMatchObject({ path: '/hooks/a?x=1' });
  });

  it('plays a programmed 500 then 200, then falls back to its default', async () => {
    receiver.clear();
    receiver.respondWith(
      { status: 500, body: 'boom' },
      { status: 200, body: 'fine', headers: { 'x-answer': '2' } },
    );
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await post(`${receiver.url}/r`, `${i}`)).statusCode);
    expect(statuses).toEqual([500, 200, 200]);
    expect(receiver.requests.map((r) => r.body)).toEqual(['0', '1', '2']);
  });

  it('answers through a responder function and honours a delay', async () => {
    receiver.clear();
    receiver.setResponder((req, index) => ({
      status: req.path === '/slow' ? 503 : 201,
      delayMs: index === 0 ? 200 : 0,
    }));
    const started = Date.now();
    const response = await post(`${receiver.url}/slow`, 'x');
    expect(response.statusCode).toBe(503);
    await response.body.dump();
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect((await post(`${receiver.url}/fast`, 'y')).statusCode).toBe(201);
  });

  it('also listens on plain HTTP when asked', async () => {
    receiver.clear();
    const response = await request(`${receiver.httpUrl}/plain`, { method: 'POST', body: 'p' });
    expect(response.statusCode).toBe(200);
    expect((await receiver.waitForRequests(1))[0]?.scheme).toBe('http');
  });

  it('rejects a wait for more requests than arrive, naming what it got', async () => {
    receiver.clear();
    await expect(receiver.waitForRequests(1, { timeoutMs: 50 })).rejects.toThrow(/got: none/);
  });
});

describe('the test CA', () => {
  it('is made once and reused from the same directory', async () => {
    const files = await ensureCertificates(path.dirname(inject('stack').tls.caFile));
    expect(readTls(files).ca).toBe(readTls(inject('stack').tls).ca);
  });

  it('is refused by a client that does not trust it', async () => {
    await expect(request(`${receiver.url}/untrusted`, { method: 'GET' })).rejects.toThrow(
      /self|certificate|issuer/i,
    );
  });
});

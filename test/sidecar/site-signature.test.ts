/**
 * What the sidecar signs for the WordPress site (shared/site-calls.ts), against vectors made with openssl, and the
 * webhook-disabled notice as it leaves the sidecar: signed, and without the shared secret.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../sidecar/src/log.ts';
import { createDisabledNotifier, signedNotice } from '../../sidecar/src/notify.ts';
import { loopGuardHeaders, siteSignature, withLoopGuard } from '../../sidecar/src/site-signature.ts';

const secret = 'test-secret-0123456789-abcdefghijklmnop';
const t = 1614265330;
const msgId = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
// printf '%s' 'fcwh-loop-guard.v1.1614265330.msg_p5jXN8AQM9LWM0D4loKWxJek' | openssl dgst -sha256 -hmac "$secret"
const guardMac = '8148c6bd4cd1287ca35ffa942b7743659c55bab3f3725c98ecc887c8587cdb8b';
// printf '%s' 'fcwh-webhook-disabled.v1.1614265330.{"webhook_id":7,"reason":"HTTP 410 Gone"}' | openssl dgst ...
const noticeMac = '91c9275863c96bb8c55040666564ecb948d80d76f7d6ff151d5a8adc80d7761a';

describe('signatures for the site', () => {
  it('signs "<purpose>.<t>.<payload>" as t=<t>,v1=<hex HMAC-SHA256>', () => {
    expect(siteSignature(secret, 'fcwh-loop-guard.v1', t, msgId)).toBe(`t=${t},v1=${guardMac}`);
    expect(signedNotice(secret, { webhook_id: 7, reason: 'HTTP 410 Gone' }, t * 1000)).toEqual({
      headers: { 'content-type': 'application/json', 'x-fcwh-signature': `t=${t},v1=${noticeMac}` },
      body: '{"webhook_id":7,"reason":"HTTP 410 Gone"}',
    });
  });

  it("gives the loop guard only to deliveries to the site's own host, whatever the port or path", () => {
    const guard = { 'x-fcwh-loop-guard': `t=${t},v1=${guardMac}` };
    const at = (site: string | undefined, target: string) => loopGuardHeaders(secret, site, target, msgId, t);
    expect(at('https://Community.Example.com', 'https://community.example.com/wp-json/x')).toEqual(guard);
    expect(at('http://127.0.0.1:8080', 'https://127.0.0.1:9443/hook')).toEqual(guard);
    expect(at('https://community.example.com', 'https://hooks.example.net/community.example.com')).toEqual(
      {},
    );
    expect(at('https://community.example.com', 'https://community.example.com.evil.test/')).toEqual({});
    expect(at('https://example.com', 'https://sub.example.com/')).toEqual({});
    expect(at(undefined, 'https://community.example.com/')).toEqual({});
  });
});

describe('the sender with the loop guard', () => {
  it("adds the guard at send time to the site's own host only, and leaves other requests untouched", async () => {
    const sent: { url: string; headers: Record<string, string> }[] = [];
    const inner = {
      send: async (url: string, headers: Record<string, string>) => void sent.push({ url, headers }),
      close: async () => undefined,
    };
    const sender = withLoopGuard(inner, secret, 'http://127.0.0.1:8080', () => t * 1000);
    const headers = { 'webhook-id': msgId, 'user-agent': 'FluentCommunityWebhooks/0.1.0' };
    await sender.send('https://127.0.0.1:9443/self', headers);
    await sender.send('https://hooks.example.net/x', headers);
    await sender.send('https://127.0.0.1:9443/self', { 'user-agent': 'x' });
    expect(sent[0]!.headers).toEqual({ ...headers, 'x-fcwh-loop-guard': `t=${t},v1=${guardMac}` });
    expect(sent[1]!.headers).toBe(headers);
    expect(sent[2]!.headers).toEqual({ 'user-agent': 'x' });
    expect(headers).not.toHaveProperty('x-fcwh-loop-guard');
    expect(withLoopGuard(inner, secret, undefined)).toBe(inner);
  });
});

describe('the webhook-disabled notice', () => {
  it('reaches the site signed, below its path, and never carries the shared secret', async () => {
    const seen: { req: IncomingMessage; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        seen.push({ req, body });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const notify = createDisabledNotifier(`http://127.0.0.1:${port}/blog`, secret, createLogger('silent'));
      const before = Math.floor(Date.now() / 1000);
      notify(7, 'HTTP 410 Gone');
      await expect.poll(() => seen.length, { timeout: 5000 }).toBe(1);
      const { req, body } = seen[0]!;
      expect(req.method).toBe('POST');
      expect(req.url).toBe('/blog/wp-json/fluent-community-webhooks/v1/internal/webhook-disabled');
      expect(req.headers.authorization).toBeUndefined();
      expect(JSON.stringify(req.headers) + body).not.toContain(secret);
      expect(JSON.parse(body)).toEqual({ webhook_id: 7, reason: 'HTTP 410 Gone' });
      const stamp = Number(/^t=(\d+),/.exec(String(req.headers['x-fcwh-signature']))?.[1]);
      expect(stamp).toBeGreaterThanOrEqual(before);
      expect(req.headers['x-fcwh-signature']).toBe(
        siteSignature(secret, 'fcwh-webhook-disabled.v1', stamp, body),
      );
    } finally {
      server.close();
    }
  });
});

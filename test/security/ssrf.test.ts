import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSender, type Sender } from '../../sidecar/src/delivery/send/sender.ts';
import type { TargetPolicy } from '../../sidecar/src/delivery/send/target-policy.ts';
import { useSidecarHarness } from '../helpers/sidecar-app.ts';
import { installDialGuard, type DialGuard } from './dial-guard.ts';
import { startCanary, stubResolver, type Canary } from './servers.ts';
import { blockedNames, blockedUrls, invalidUrls } from './ssrf-targets.ts';

const h = useSidecarHarness({ worker: false });
let canary: Canary;
let guard: DialGuard;
let sender: Sender;
const resolver = stubResolver(blockedNames);

beforeAll(async () => {
  canary = await startCanary();
  guard = installDialGuard();
  // Production policy: no allowlist at all, the default port policy.
  const policy: TargetPolicy = { allowTargets: [], allowedPorts: h().config.allowedPorts };
  sender = createSender({ policy, timeoutMs: 2000, lookup: resolver.resolve });
});

afterAll(async () => {
  await sender?.close();
  guard?.uninstall();
  await canary?.close();
});

const hook = (url: string) => ({ name: 'ssrf', url, events: ['feed.created'] });
const body = '{"event":"ssrf.test"}';

describe('SSRF: targets refused when a webhook is saved', () => {
  it('has a matrix of at least 25 refused targets', () => {
    expect(blockedUrls(canary.port).length).toBeGreaterThanOrEqual(25);
  });

  it.each(blockedUrls(0).map((t, i) => ({ ...t, i })))(
    'answers 400 url_not_allowed for $label',
    async ({ i }) => {
      const { url } = blockedUrls(canary.port)[i]!;
      const res = await h().json('POST', '/admin/webhooks', hook(url));
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'url_not_allowed', data: { status: 400 } });
    },
  );

  it.each(invalidUrls(0).map((t, i) => ({ ...t, i })))(
    'answers 400 invalid_url for $label',
    async ({ i }) => {
      const { url } = invalidUrls(canary.port)[i]!;
      const res = await h().json('POST', '/admin/webhooks', hook(url));
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'invalid_url', data: { status: 400 } });
    },
  );

  it('refuses the same targets when an existing webhook is updated, and keeps its URL', async () => {
    const created = await h().json('POST', '/admin/webhooks', hook('https://example.com/hook'));
    expect(created.status).toBe(201);
    for (const { url } of blockedUrls(canary.port)) {
      const res = await h().json('PUT', `/admin/webhooks/${created.body.id}`, { url });
      expect(res.body.code, url).toBe('url_not_allowed');
    }
    const got = await h().json('GET', `/admin/webhooks/${created.body.id}`);
    expect(got.body.url).toBe('https://example.com/hook');
  });

  it('stores no webhook for any refused target', async () => {
    const [rows] = await h().deps.db.query(`SELECT url FROM wp_fcwh_webhooks`);
    // The url column holds the masked form; the URL itself is sealed (url_enc).
    expect(rows).toEqual([{ url: 'https://example.com/...' }]);
  });
});

describe('SSRF: targets refused again at send time', () => {
  it('has a dial guard that sees this process\'s connections, so "no dial" below cannot pass vacuously', async () => {
    const { receiver, config } = h();
    const allowed = createSender({
      policy: { allowTargets: [`127.0.0.1:${receiver.port}`], allowedPorts: [] },
      timeoutMs: 2000,
      ...(config.caPem ? { caPem: config.caPem } : {}),
    });
    try {
      expect(await allowed.send(`${receiver.url}/control`, {}, body)).toMatchObject({ ok: true });
      expect(guard.to(receiver.port)).toEqual([
        { host: '127.0.0.1', port: receiver.port, addresses: ['127.0.0.1'], refused: false },
      ]);
    } finally {
      await allowed.close();
    }
  });

  it.each(blockedUrls(0).map((t, i) => ({ ...t, i })))(
    'refuses $label before opening any socket',
    async ({ i }) => {
      const { url } = blockedUrls(canary.port)[i]!;
      const dialsBefore = guard.dials.length;
      const result = await sender.send(url, {}, body);
      expect(result).toMatchObject({
        ok: false,
        status: null,
        error: expect.stringMatching(/^Blocked target: /),
      });
      expect(guard.dials.length).toBe(dialsBefore);
    },
  );

  it.each(invalidUrls(0).map((t, i) => ({ ...t, i })))(
    'refuses $label before opening any socket',
    async ({ i }) => {
      const { url } = invalidUrls(canary.port)[i]!;
      const dialsBefore = guard.dials.length;
      const result = await sender.send(url, {}, body);
      expect(result).toMatchObject({ ok: false, status: null });
      expect(result.ok ? '' : result.error).toMatch(/^(Blocked target: |Invalid URL)/);
      expect(guard.dials.length).toBe(dialsBefore);
    },
  );

  it.each(Object.entries(blockedNames))(
    'refuses %s (resolving to %j) after one lookup, before dialing',
    async (name) => {
      const before = resolver.calls.length;
      const dialsBefore = guard.dials.length;
      const result = await sender.send(`https://${name}:${canary.port}/hook`, {}, body);
      expect(result).toMatchObject({
        ok: false,
        status: null,
        error: `Blocked target: ${name} is not a public address.`,
      });
      expect(resolver.calls.slice(before)).toEqual([name]);
      // The lookup failed, so no address was ever handed to a socket.
      expect(guard.dials.length).toBe(dialsBefore);
    },
  );

  it('let no connection reach the canary on 127.0.0.1 or ::1 across the whole matrix', () => {
    expect(canary.connections).toEqual([]);
    expect(guard.dials.filter((d) => d.refused)).toEqual([]);
  });
});

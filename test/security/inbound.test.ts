import { serve, type ServerType } from '@hono/node-server';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes, sidecarRoutes } from '../../shared/routes.ts';
import { errorResponse } from '../../shared/schemas.ts';
import { createApp } from '../../sidecar/src/app.ts';
import { loadConfig } from '../../sidecar/src/config.ts';
import { useSidecarHarness } from '../helpers/sidecar-app.ts';

const logLines: string[] = [];
const h = useSidecarHarness({
  worker: false,
  env: { FCWH_LOG_LEVEL: 'debug', FCWH_MAX_BODY_BYTES: '4096' },
  logDestination: { write: (line: string) => void logLines.push(line) },
});
let server: ServerType;
let base: string;

beforeAll(async () => {
  // The same app on a real socket, for what app.request cannot send: streamed bodies and lying lengths.
  const app = createApp(h().deps);
  base = await new Promise<string>((resolve) => {
    server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) =>
      resolve(`http://127.0.0.1:${info.port}`),
    );
  });
});
afterAll(async () => {
  await new Promise((r) => server?.close(r));
});

const allPaths = [
  ...Object.values(routes).map((r) => ({ method: r.method, path: r.path })),
  ...Object.values(sidecarRoutes).filter((r) => r.path !== sidecarRoutes.health.path),
  { method: 'GET', path: '/admin/no-such-route' },
  { method: 'GET', path: '/.env' },
].map(({ method, path }) => ({ method, path: path.replace(':id', '1').replace(':delivery_id', '1') }));

async function anonymous(method: string, path: string, authorization?: string) {
  const res = await h().call(method, path, method === 'GET' ? undefined : '{}', {
    authorization: authorization ?? '',
  });
  return { status: res.status, body: (await res.json()) as unknown };
}

describe('the shared-secret gate', () => {
  it('answers /healthz without the secret', async () => {
    const res = await h().call('GET', '/healthz', undefined, { authorization: '' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it.each(allPaths)('answers $method $path with 401 without the secret', async ({ method, path }) => {
    const res = await anonymous(method, path);
    expect(res.status).toBe(401);
    expect(errorResponse.parse(res.body)).toMatchObject({ code: 'unauthorized', data: { status: 401 } });
  });

  it.each(allPaths)('answers $method $path with 401 for a wrong secret', async ({ method, path }) => {
    const secret = h().config.secret;
    const wrong = `${secret.slice(0, -1)}${secret.endsWith('0') ? '1' : '0'}`; // one character off
    const res = await anonymous(method, path, `Bearer ${wrong}`);
    expect(res).toMatchObject({ status: 401, body: { code: 'unauthorized' } });
  });

  it('logs refused requests with path and method but without what was sent as the secret', async () => {
    const guess = `guess-${Date.now()}-not-the-secret`;
    logLines.length = 0;
    await anonymous('GET', '/admin/webhooks', `Bearer ${guess}`);
    await anonymous('DELETE', '/admin/webhooks/1');
    const lines = logLines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([
      expect.objectContaining({
        msg: 'rejected request without a valid shared secret',
        path: '/admin/webhooks',
        method: 'GET',
        hasAuthorization: true,
      }),
      expect.objectContaining({ path: '/admin/webhooks/1', method: 'DELETE', hasAuthorization: false }),
    ]);
    expect(logLines.join('')).not.toContain(guess);
    expect(logLines.join('')).not.toContain(h().config.secret);
  });

  it('listens on loopback unless told otherwise', () => {
    const config = loadConfig({
      FCWH_SECRET: randomBytes(32).toString('hex'),
      FCWH_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      FCWH_DB_HOST: '127.0.0.1',
      FCWH_DB_NAME: 'wp',
      FCWH_DB_USER: 'wp',
    });
    expect(config.listen).toEqual({ host: '127.0.0.1', port: 8787 });
  });
});

describe('request bodies', () => {
  const create = (body: string | Buffer, headers: Record<string, string> = {}) =>
    request(`${base}/admin/webhooks`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${h().config.secret}`,
        'content-type': 'application/json',
        ...headers,
      },
      body,
      reset: true,
    });

  it('answers 413 for a body over FCWH_MAX_BODY_BYTES with a Content-Length', async () => {
    const res = await create('x'.repeat(4097));
    expect(res.statusCode).toBe(413);
    expect(await res.body.json()).toMatchObject({ code: 'payload_too_large', data: { status: 413 } });
  });

  it('answers 413 for a streamed (chunked) body that grows past the limit', async () => {
    async function* chunks() {
      for (let i = 0; i < 64; i++) yield Buffer.alloc(1024, 'x');
    }
    const res = await request(`${base}/admin/webhooks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h().config.secret}`, 'content-type': 'application/json' },
      body: Readable.from(chunks()),
      reset: true,
    });
    expect(res.statusCode).toBe(413);
    expect(await res.body.json()).toMatchObject({ code: 'payload_too_large' });
  });

  it('reads a body just under the limit (and refuses it for what it says, not its size)', async () => {
    const res = await create(
      JSON.stringify({ name: 'x'.repeat(4000), url: 'https://example.com', events: ['*'] }),
    );
    expect(res.statusCode).toBe(400);
    expect(await res.body.json()).toMatchObject({ code: 'invalid_name' });
  });

  it('answers 400 invalid_json for malformed JSON', async () => {
    const res = await create('{"name": "x",');
    expect(res.statusCode).toBe(400);
    expect(await res.body.json()).toMatchObject({ code: 'invalid_json', data: { status: 400 } });
  });
});

describe('what is stored', () => {
  const unicodeName = 'Café ☕ Ωμέγα 中文 עברית 😀 ﷽';
  const sqlName = `Robert'); DROP TABLE wp_fcwh_webhooks;-- "\\" % _ \` \u00a0 \u0000 end`;

  it('keeps unicode and SQL meta characters verbatim in names and header values, and URLs as requested', async () => {
    const url = "https://example.com/hooks/ünïcode/'%20OR%201=1--?q=☕&x=%27";
    // What the sender requests (WHATWG serialisation: non-ASCII percent-encoded), SQL meta characters intact.
    const requested = "https://example.com/hooks/%C3%BCn%C3%AFcode/'%20OR%201=1--?q=%E2%98%95&x=%27";
    const headers = { 'X-Note': "O'Brien; DROP TABLE x; -- café \\ %", 'X-Empty': '' };
    for (const name of [unicodeName, sqlName, 'x'.repeat(191)]) {
      const created = await h().json('POST', '/admin/webhooks', {
        name,
        url,
        events: ['feed.created'],
        headers,
      });
      expect(created.status, name).toBe(201);
      const got = await h().json('GET', `/admin/webhooks/${created.body.id}`);
      expect(got.body).toMatchObject({ name, url: requested, headers });
    }
    const search = await h().json('GET', `/admin/webhooks?search=${encodeURIComponent("'); DROP")}`);
    expect(search.body.webhooks.map((w: { name: string }) => w.name)).toEqual([sqlName]);
  });

  it('accepts a URL of exactly 2048 characters and refuses 2049', async () => {
    const url = (n: number) => `https://example.com/${'a'.repeat(n - 'https://example.com/'.length)}`;
    expect(
      (await h().json('POST', '/admin/webhooks', { name: 'long', url: url(2048), events: ['*'] })).status,
    ).toBe(201);
    const res = await h().json('POST', '/admin/webhooks', { name: 'long', url: url(2049), events: ['*'] });
    expect(res).toMatchObject({ status: 400, body: { code: 'invalid_url' } });
  });

  it('writes nothing of an update with one invalid field among valid ones', async () => {
    const created = await h().json('POST', '/admin/webhooks', {
      name: 'Untouched',
      url: 'https://example.com/u',
      events: ['feed.created'],
      headers: { 'X-A': 'a' },
    });
    const before = (await h().json('GET', `/admin/webhooks/${created.body.id}`)).body;
    for (const invalid of [
      { events: ['nope'] },
      { headers: { Host: 'evil.example' } },
      { url: 'https://169.254.169.254/' },
      { retry_count: 11 },
    ]) {
      const res = await h().json('PUT', `/admin/webhooks/${created.body.id}`, {
        name: 'Changed',
        status: 'inactive',
        events: ['comment.created'],
        ...invalid,
      });
      expect(res.status).toBe(400);
    }
    expect((await h().json('GET', `/admin/webhooks/${created.body.id}`)).body).toEqual(before);
  });
});

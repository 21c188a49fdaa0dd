import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sidecarRoutes } from '../../shared/routes.ts';
import { errorResponse } from '../../shared/schemas.ts';
import { createApp } from '../../sidecar/src/app.ts';
import { createSidecarServer } from '../../sidecar/src/http/server.ts';
import { useSidecarHarness } from '../helpers/sidecar-app.ts';

const logLines: string[] = [];
const h = useSidecarHarness({
  worker: false,
  env: { FCWH_LOG_LEVEL: 'warn', FCWH_MAX_BODY_BYTES: '4096' },
  logDestination: { write: (line: string) => void logLines.push(line) },
});
let server: Server;
let base: string;
let wakes = 0;

beforeAll(async () => {
  // The production server (what main.ts listens with), its wake-ups counted.
  const deps = { ...h().deps, wake: () => void wakes++ };
  server = createSidecarServer(deps, createApp(deps));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server?.close(r));
});
beforeEach(() => {
  wakes = 0;
  logLines.length = 0;
});

const wakePath = sidecarRoutes.wake.path;
const wake = (
  headers: Record<string, string> | string[],
  body: string | Readable = '{}',
  path: string = wakePath,
) => request(`${base}${path}`, { method: 'POST', headers, body });
const secretHeader = () => ({ authorization: `Bearer ${h().config.secret}` });

async function expectError(res: Awaited<ReturnType<typeof request>>, status: number, code: string) {
  expect(res.statusCode).toBe(status);
  expect(res.headers['content-type']).toBe('application/json');
  const body = errorResponse.parse(await res.body.json());
  expect(body).toMatchObject({ code, data: { status } });
  expect(body.message).not.toBe('');
}

describe('POST /events/wake before Hono', () => {
  it('answers 204 and wakes the worker once per call with the shared secret', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await wake(secretHeader());
      expect(res.statusCode).toBe(204);
      expect(await res.body.text()).toBe('');
    }
    expect(wakes).toBe(3);
  });

  it('answers 401 unauthorized in the error shape without the secret, and wakes nothing', async () => {
    await expectError(await wake({}), 401, 'unauthorized');
    await expectError(await wake({ authorization: '' }), 401, 'unauthorized');
    expect(wakes).toBe(0);
  });

  it('refuses near misses of the secret: one character off, lower-case scheme, no scheme', async () => {
    const secret = h().config.secret;
    const oneOff = `${secret.slice(0, -1)}${secret.endsWith('0') ? '1' : '0'}`;
    for (const value of [`Bearer ${oneOff}`, `bearer ${secret}`, secret, `Bearer ${secret}x`]) {
      await expectError(await wake({ authorization: value }), 401, 'unauthorized');
    }
    expect(wakes).toBe(0);
  });

  it('refuses two Authorization headers even when one carries the secret (joined, as Hono reads them)', async () => {
    const good = `Bearer ${h().config.secret}`;
    await expectError(await wake(['authorization', good, 'authorization', good]), 401, 'unauthorized');
    expect(wakes).toBe(0);
  });

  it('logs a refused wake-up with path and method but not what was sent as the secret', async () => {
    const guess = `guess-${Date.now()}-not-the-secret`;
    await wake({ authorization: `Bearer ${guess}` }).then((r) => r.body.dump());
    const lines = logLines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([
      expect.objectContaining({
        msg: 'rejected request without a valid shared secret',
        path: wakePath,
        method: 'POST',
        hasAuthorization: true,
      }),
    ]);
    expect(logLines.join('')).not.toContain(guess);
  });

  it('answers 413 for a body over FCWH_MAX_BODY_BYTES, declared or streamed, and wakes nothing', async () => {
    await expectError(await wake(secretHeader(), 'x'.repeat(4097)), 413, 'payload_too_large');
    async function* chunks() {
      for (let i = 0; i < 8; i++) yield Buffer.alloc(1024, 'x');
    }
    await expectError(await wake(secretHeader(), Readable.from(chunks())), 413, 'payload_too_large');
    expect(wakes).toBe(0);
  });

  it('takes an empty body or one just under the limit', async () => {
    expect((await wake(secretHeader(), '')).statusCode).toBe(204);
    expect((await wake(secretHeader(), 'x'.repeat(4096))).statusCode).toBe(204);
    expect(wakes).toBe(2);
  });

  it('leaves every other request to Hono: the gate, other methods and paths, the health check', async () => {
    const other = (method: string, path: string, headers: Record<string, string> = {}) =>
      request(`${base}${path}`, { method: method as 'GET', headers });
    await expectError(await other('GET', wakePath), 401, 'unauthorized');
    await expectError(await other('GET', wakePath, secretHeader()), 404, 'route_not_found');
    await expectError(await other('POST', `${wakePath}/`, secretHeader()), 404, 'route_not_found');
    // A query string goes the long way, to the same handler.
    expect((await wake(secretHeader(), '{}', `${wakePath}?x=1`)).statusCode).toBe(204);
    expect((await other('GET', sidecarRoutes.health.path)).statusCode).toBe(200);
    expect(wakes).toBe(1);
  });
});

describe('the wake-up route on its own', () => {
  it('is answered without entering Hono, refusals included', async () => {
    let honoCalls = 0;
    const app = { fetch: () => (honoCalls++, new Response(null, { status: 599 })) } as never;
    const fast = createSidecarServer({ ...h().deps, wake: () => void wakes++ }, app);
    await new Promise<void>((resolve) => fast.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(fast.address() as AddressInfo).port}${wakePath}`;
    try {
      const post = (headers: Record<string, string>) => request(url, { method: 'POST', headers, body: '{}' });
      expect((await post(secretHeader())).statusCode).toBe(204);
      await expectError(await post({}), 401, 'unauthorized');
      expect(honoCalls).toBe(0);
      expect((await request(url, { method: 'GET', headers: secretHeader() })).statusCode).toBe(599);
      expect(honoCalls).toBe(1);
      expect(wakes).toBe(1);
    } finally {
      await new Promise((r) => fast.close(r));
    }
  });
});

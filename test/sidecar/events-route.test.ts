import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { errorResponse } from '../../shared/schemas.ts';
import { createApp } from '../../sidecar/src/app.ts';
import type { Deps } from '../../sidecar/src/deps.ts';
import { createSidecarServer } from '../../sidecar/src/http/server.ts';
import { useSidecarHarness } from '../helpers/sidecar-app.ts';

/**
 * `POST /events`, the ingest API, through the production server over a socket (Hono's app, the one front door):
 * each answer is compared with what the same app answers in-process for the same request, and the server's own
 * Node listener (the wake-up's) is shown to leave the route to the app.
 */
const logLines: string[] = [];
const h = useSidecarHarness({
  worker: false,
  env: { FCWH_LOG_LEVEL: 'warn', FCWH_MAX_BODY_BYTES: '4096' },
  logDestination: { write: (line: string) => void logLines.push(line) },
});
const servers: Server[] = [];

async function listen(deps: Deps, app = createApp(deps)): Promise<string> {
  const server = createSidecarServer(deps, app);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

let base: string;
beforeAll(async () => {
  base = await listen(h().deps);
  const created = await h().json('POST', '/admin/webhooks', {
    name: 'Seed',
    url: `${h().receiver.url}/seed`,
    events: ['feed.deleted'],
  });
  expect(created.status).toBe(201);
});
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});
beforeEach(() => {
  logLines.length = 0;
});

const call = (id: number, extra: Record<string, unknown> = {}) => ({
  hook: 'fluent_community/feed/deleted',
  args: [String(id)],
  occurred_at: '2024-01-15 10:30:00',
  ...extra,
});
const secret = () => ({ authorization: `Bearer ${h().config.secret}` });

async function viaSocket(body: string | Readable, headers: Record<string, string> = {}, url = base) {
  const res = await request(`${url}/events`, { method: 'POST', headers, body });
  const text = await res.body.text();
  return {
    status: res.statusCode,
    type: res.headers['content-type'],
    body: text === '' ? null : JSON.parse(text),
  };
}

async function viaHono(body: string, headers: Record<string, string> = {}) {
  const res = await createApp(h().deps).request('/events', { method: 'POST', headers, body });
  return { status: res.status, type: res.headers.get('content-type'), body: await res.json() };
}

describe('POST /events, the ingest API', () => {
  it('stores the calls and answers 202 with what it accepted, as the Hono route does', async () => {
    const headers = { ...secret(), 'content-type': 'application/json' };
    const body = JSON.stringify({ events: [call(1), call(2), call(3, { args: [] })] });
    const answer = await viaSocket(body, headers);
    expect(answer).toEqual({ status: 202, type: 'application/json', body: { accepted: 2, events: 2 } });
    expect(answer).toEqual(await viaHono(body, headers));
  });

  it('answers every malformed body with the same status and error body as the Hono route', async () => {
    const json = { ...secret(), 'content-type': 'application/json' };
    const form = { ...secret(), 'content-type': 'application/x-www-form-urlencoded' };
    const cases: [string, Record<string, string>][] = [
      ['', json],
      ['{', json],
      ['{', form],
      ['\ufeff{"events": []}', json],
      ['[]', json],
      ['null', json],
      ['{"events": "no"}', json],
      [JSON.stringify({ events: [call(1, { occurred_at: 'yesterday' })] }), json],
      [JSON.stringify({ events: [call(1, { hook: '' })] }), json],
      [JSON.stringify({ events: Array.from({ length: 1001 }, (_, i) => ({ hook: 'h', args: [i] })) }), json],
    ];
    for (const [body, headers] of cases) {
      const answer = await viaSocket(body, headers);
      expect(errorResponse.safeParse(answer.body).success, body.slice(0, 40)).toBe(true);
      expect(answer.body.data.status).toBe(answer.status);
      expect(answer, body.slice(0, 40)).toEqual(await viaHono(body, headers));
    }
  });

  it('refuses a missing or wrong secret with 401, logging neither the value nor reading on', async () => {
    const guess = `guess-${Date.now()}-not-the-secret`;
    const body = JSON.stringify({ events: [call(1)] });
    const refused: Record<string, string>[] = [
      {},
      { authorization: `Bearer ${guess}` },
      { authorization: h().config.secret },
    ];
    for (const headers of refused) {
      const answer = await viaSocket(body, headers);
      expect(answer).toMatchObject({ status: 401, body: { code: 'unauthorized', data: { status: 401 } } });
    }
    expect(logLines).toHaveLength(3);
    expect(logLines.join('')).not.toContain(guess);
    expect(JSON.parse(logLines[1]!)).toMatchObject({
      path: '/events',
      method: 'POST',
      hasAuthorization: true,
    });
  });

  it('answers 413 for a body over the limit, declared or chunked, and stores nothing', async () => {
    const big = JSON.stringify({ events: [call(1, { request_id: 'x'.repeat(5000) })] });
    const declared = await viaSocket(big, secret());
    expect(declared).toMatchObject({ status: 413, body: { code: 'payload_too_large' } });
    const chunked = await viaSocket(Readable.from([big.slice(0, 3000), big.slice(3000)]), secret());
    expect(chunked).toMatchObject({ status: 413, body: { code: 'payload_too_large' } });
    const under = JSON.stringify({ events: [call(9)] });
    const streamed = await viaSocket(Readable.from([under.slice(0, 10), under.slice(10)]), secret());
    expect(streamed).toMatchObject({ status: 202, body: { accepted: 1 } });
  });

  it('answers a failing store with an opaque 500 and logs the error', async () => {
    const gone = { getConnection: () => Promise.reject(new Error('database is gone')) };
    const broken = { ...h().deps, db: gone, scriptDb: gone } as never as Deps;
    const url = await listen(broken);
    const answer = await viaSocket(JSON.stringify({ events: [call(1)] }), secret(), url);
    expect(answer).toMatchObject({ status: 500, body: { code: 'internal_error', data: { status: 500 } } });
    expect(JSON.stringify(answer.body)).not.toContain('database is gone');
    expect(logLines.map((l) => JSON.parse(l) as { msg: string })).toContainEqual(
      expect.objectContaining({ msg: 'unhandled error', path: '/events', method: 'POST' }),
    );
  });

  it('is served by the app, not by the listener in front of it', async () => {
    let appCalls = 0;
    const app = { fetch: () => (appCalls++, new Response(null, { status: 599 })) } as never;
    const url = await listen(h().deps, app);
    const body = JSON.stringify({ events: [call(1)] });
    const answer = await viaSocket(body, { ...secret(), 'content-type': 'application/json' }, url);
    expect(answer.status).toBe(599);
    expect(appCalls).toBe(1);
  });
});

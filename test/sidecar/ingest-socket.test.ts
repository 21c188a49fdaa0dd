import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes } from '../../shared/errors.ts';
import { errorResponse } from '../../shared/schemas.ts';
import { createApp } from '../../sidecar/src/app.ts';
import { createSidecarServer } from '../../sidecar/src/http/server.ts';
import { useSidecarHarness } from '../helpers/sidecar-app.ts';
import { fuzzCorpus } from '../security/fuzz-corpus.ts';

/**
 * `POST /events` and the rest of the API through the production server over a real socket: there a body comes
 * with a Content-Length, which the body limit trusts without reading the body (in-process calls have none).
 */
const h = useSidecarHarness({ worker: false });
let server: Server;
let base: string;
let seededId: number;

beforeAll(async () => {
  server = createSidecarServer(h().deps, createApp(h().deps));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const created = await h().json('POST', '/admin/webhooks', {
    name: 'Seed',
    url: `${h().receiver.url}/seed`,
    events: ['feed.deleted', 'comment.created'],
  });
  expect(created.status).toBe(201);
  seededId = created.body.id;
});
afterAll(async () => {
  await new Promise((r) => server?.close(r));
});

const call = (id: number) => ({
  hook: 'fluent_community/feed/deleted',
  args: [String(id)],
  occurred_at: '2024-01-15 10:30:00',
});

function post(path: string, body: string | Readable, headers: Record<string, string> = {}) {
  return request(`${base}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${h().config.secret}`, 'content-type': 'application/json', ...headers },
    body,
  });
}

/** A checksum of every fcwh_ table: any row added, removed or changed changes it. */
async function tablesChecksum(): Promise<string> {
  const [tables] = await h().deps.db.query(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name LIKE 'wp\\_fcwh\\_%'`,
  );
  const names = (tables as { name: string }[]).map((t) => `\`${t.name}\``).join(', ');
  const [rows] = await h().deps.db.query(`CHECKSUM TABLE ${names}`);
  return JSON.stringify(rows);
}

const eventCount = async () =>
  Number(
    (
      (await h().deps.db.query('SELECT COUNT(*) AS n FROM wp_fcwh_events')) as never as [[{ n: number }]]
    )[0][0].n,
  );

describe('POST /events over a socket', () => {
  it('stores every accepted event of 300 concurrent requests, and says how many it accepted', async () => {
    const before = await eventCount();
    const answers = await Promise.all(
      Array.from({ length: 300 }, async (_, i) => {
        // Every tenth request carries a second call whose arguments fit no event: answered, not accepted.
        const events = i % 10 === 0 ? [call(i + 1), { ...call(i + 1), args: [] }] : [call(i + 1)];
        const res = await post('/events', JSON.stringify({ events }));
        return {
          status: res.statusCode,
          body: (await res.body.json()) as { accepted: number; events: number },
        };
      }),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(300).fill(202));
    const accepted = answers.reduce((n, a) => n + a.body.accepted, 0);
    expect(accepted).toBe(300);
    expect(answers.reduce((n, a) => n + a.body.events, 0)).toBe(300);
    expect(await eventCount()).toBe(before + accepted);
  });

  it('answers 413 for a declared length over the limit and for a chunked body that grows past it', async () => {
    const before = await tablesChecksum();
    const big = JSON.stringify({ events: [{ ...call(1), request_id: 'x'.repeat(300_000) }] });
    const declared = await post('/events', big);
    expect(declared.statusCode).toBe(413);
    expect(await declared.body.json()).toMatchObject({ code: 'payload_too_large', data: { status: 413 } });
    const streamed = await post(
      '/events',
      Readable.from([Buffer.from(big.slice(0, 150_000)), Buffer.from(big.slice(150_000))]),
    );
    expect(streamed.statusCode).toBe(413);
    expect(await streamed.body.json()).toMatchObject({ code: 'payload_too_large' });
    expect(await tablesChecksum()).toBe(before);
  });

  it('stores a chunked body under the limit (read through the counting reader)', async () => {
    const before = await eventCount();
    const body = JSON.stringify({ events: [call(7), call(8)] });
    const res = await post(
      '/events',
      Readable.from([Buffer.from(body.slice(0, 10)), Buffer.from(body.slice(10))]),
    );
    expect(res.statusCode).toBe(202);
    expect(await res.body.json()).toEqual({ accepted: 2, events: 2 });
    expect(await eventCount()).toBe(before + 2);
  });

  it('answers every case of the fuzz corpus with its 4xx in the error shape and stores nothing', async () => {
    const cases = fuzzCorpus({ secret: h().config.secret, maxBodyBytes: h().config.maxBodyBytes });
    const before = await tablesChecksum();
    const wrong: string[] = [];
    for (const c of cases) {
      const path = c.path.replaceAll('{id}', String(seededId)) + (c.query === undefined ? '' : `?${c.query}`);
      const res = await request(`${base}${path}`, {
        method: c.method,
        headers: {
          authorization: `Bearer ${h().config.secret}`,
          'content-type': 'application/json',
          ...c.headers,
        },
        ...(c.body === undefined ? {} : { body: c.body }),
      });
      const text = await res.body.text();
      const shaped = errorResponse.safeParse(JSON.parse(text || 'null'));
      const got = shaped.success
        ? `${res.statusCode} ${shaped.data.code}`
        : `${res.statusCode} ${text.slice(0, 80)}`;
      const ok =
        shaped.success &&
        shaped.data.data.status === res.statusCode &&
        shaped.data.code in errorCodes &&
        got === `${c.status} ${c.code}`;
      if (!ok) wrong.push(`${c.name}: expected ${c.status} ${c.code}, got ${got}`);
    }
    expect(wrong).toEqual([]);
    expect(await tablesChecksum()).toBe(before);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { errorCodes } from '../../shared/errors.ts';
import { errorResponse } from '../../shared/schemas.ts';
import { useSidecarHarness, type SidecarHarness } from '../helpers/sidecar-app.ts';
import { fuzzCorpus, type FuzzCase } from './fuzz-corpus.ts';

const h = useSidecarHarness({ worker: false });
let seededId: number;

/** Every row of every fcwh_ table, in primary-key order. */
async function snapshot(harness: SidecarHarness): Promise<Record<string, unknown[]>> {
  const [tables] = await harness.deps.db.query(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name LIKE 'wp\\_fcwh\\_%' ORDER BY table_name`,
  );
  const out: Record<string, unknown[]> = {};
  for (const { name } of tables as { name: string }[]) {
    const [rows] = await harness.deps.db.query(`SELECT * FROM \`${name}\` ORDER BY 1, 2`);
    out[name] = rows as unknown[];
  }
  return out;
}

beforeAll(async () => {
  const create = (body: object) => h().json('POST', '/admin/webhooks', body);
  const first = await create({
    name: "Seed '; DROP TABLE wp_fcwh_webhooks; -- ☕",
    url: `${h().receiver.url}/seed`,
    events: ['feed.deleted', 'comment.created'],
    headers: { 'X-API-Key': 'seed-key' },
  });
  expect(first.status).toBe(201);
  seededId = first.body.id;
  expect(
    (await create({ name: 'Inactive', url: 'https://example.com/a', events: ['*'], status: 'inactive' }))
      .status,
  ).toBe(201);
  expect((await h().json('POST', `/admin/webhooks/${seededId}/rotate-secret`)).status).toBe(200);
  const fired = await h().json('POST', '/events', {
    events: [{ hook: 'fluent_community/feed/deleted', args: ['9'], occurred_at: '2024-01-15 10:30:00' }],
  });
  expect(fired.body).toMatchObject({ events: 1 });
});

function send(c: FuzzCase): Promise<Response> {
  const path = c.path.replaceAll('{id}', String(seededId)) + (c.query === undefined ? '' : `?${c.query}`);
  return h().call(c.method, path, c.body, c.headers ?? {});
}

describe('fuzzing the sidecar', () => {
  const corpus = fuzzCorpus({ secret: 'x'.repeat(64), maxBodyBytes: 256 * 1024 });

  it('has a corpus of at least 200 malformed or hostile requests', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(200);
  });

  it('answers every one with its 4xx in the {code, message, data: {status}} shape and changes nothing stored', async () => {
    const cases = fuzzCorpus({ secret: h().config.secret, maxBodyBytes: h().config.maxBodyBytes });
    const before = await snapshot(h());
    expect(before['wp_fcwh_webhooks']).toHaveLength(2);
    expect(before['wp_fcwh_deliveries']).toHaveLength(1);
    const wrong: string[] = [];
    for (const c of cases) {
      const res = await send(c);
      const text = await res.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
      const shaped = errorResponse.safeParse(body);
      const got = shaped.success
        ? `${res.status} ${shaped.data.code}`
        : `${res.status} ${text.slice(0, 120)}`;
      const ok =
        shaped.success &&
        res.status >= 400 &&
        res.status < 500 &&
        shaped.data.data.status === res.status &&
        shaped.data.code in errorCodes &&
        shaped.data.message !== '' &&
        res.headers.get('content-type')?.startsWith('application/json') &&
        got === `${c.status} ${c.code}`;
      if (!ok) wrong.push(`${c.name}: expected ${c.status} ${c.code}, got ${got}`);
    }
    expect(wrong).toEqual([]);
    expect(await snapshot(h())).toEqual(before);
  });
});

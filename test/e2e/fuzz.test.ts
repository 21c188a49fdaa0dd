/** The security fuzz corpus, sent through WordPress as an administrator: every answer a shaped 4xx, nothing changed. */
import { beforeAll, describe, expect, it } from 'vitest';
import { errorResponse } from '../../shared/schemas.ts';
import { fuzzCorpus } from '../security/fuzz-corpus.ts';
import { rest, specNamespace, useE2ESite } from '../helpers/rest.ts';

const site = useE2ESite({ label: 'e2e_fuzz' });
let seededId = 0;

/** Every row of every fcwh_ table except the inbox, in primary-key order. */
async function snapshot(): Promise<Record<string, unknown[]>> {
  const [tables] = await site().db.pool.query(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()
     AND table_name LIKE 'wp\\_fcwh\\_%' ORDER BY table_name`,
  );
  const out: Record<string, unknown[]> = {};
  for (const { name } of tables as { name: string }[]) {
    const [rows] = await site().db.pool.query(`SELECT * FROM \`${name}\` ORDER BY 1, 2`);
    out[name] = rows as unknown[];
  }
  return out;
}

beforeAll(async () => {
  const created = await rest(site(), 'POST', '/admin/webhooks', {
    body: {
      name: 'Seed ☕',
      url: `${site().receiver.url}/seed`,
      events: ['feed.deleted'],
      headers: { 'X-API-Key': 'k' },
    },
  });
  expect(created.status).toBe(201);
  seededId = created.body.id;
});

describe('fuzzing through WordPress', () => {
  it('answers every malformed or hostile request with a 4xx in the WordPress error shape and changes nothing', async () => {
    const cases = fuzzCorpus({ secret: 'x'.repeat(64), maxBodyBytes: 256 * 1024 }).filter(
      (c) => !c.sidecarOnly,
    );
    expect(cases.length).toBeGreaterThanOrEqual(200);
    const before = await snapshot();
    const wrong: string[] = [];
    for (const c of cases) {
      // WordPress's ?rest_route= form: PHP's built-in test server would answer a path such as /webhooks/1.0
      // itself, as a static file with an extension, before WordPress runs (Apache or nginx rewrite it to WordPress).
      const route = `/${specNamespace}${c.path.replaceAll('{id}', String(seededId))}`;
      const url = `${site().wp.url}/?rest_route=${encodeURIComponent(route)}${c.query === undefined ? '' : `&${c.query}`}`;
      const res = await fetch(url, {
        method: c.method,
        headers: {
          authorization: site().wp.basicAuth('admin'),
          'content-type': 'application/json',
          ...c.headers,
        },
        ...(c.body === undefined ? {} : { body: c.body as BodyInit }),
      });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // kept as text for the report
      }
      const shaped = errorResponse.safeParse(body);
      const ok =
        shaped.success && res.status >= 400 && res.status < 500 && shaped.data.data.status === res.status;
      if (!ok) wrong.push(`${c.name}: ${res.status} ${text.slice(0, 160)}`);
    }
    expect(wrong).toEqual([]);
    expect(await snapshot()).toEqual(before);
    const still = await rest(site(), 'GET', `/admin/webhooks/${seededId}`);
    expect(still.body).toMatchObject({ name: 'Seed ☕', headers: { 'X-API-Key': 'k' } });
  }, 240_000);
});

/**
 * Secrets at rest and in logs: after a run that creates, updates, rotates, tests and delivers (successes and
 * failures), neither a dump of the plugin's tables nor the debug-level log holds any secret in any encoding.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { useSidecarHarness } from '../helpers/sidecar-app.ts';
import { openWebhook, type SealedRow } from '../../sidecar/src/sealed-webhook.ts';

const run = promisify(execFile);
const logLines: string[] = [];
const h = useSidecarHarness({
  env: { FCWH_LOG_LEVEL: 'debug', FCWH_RETRY_SCHEDULE: '0.05' },
  logDestination: { write: (line: string) => void logLines.push(line) },
});

const token = (label: string) => `${label}-${randomBytes(12).toString('hex')}`;
/** Every secret of the run, by label; filled as the run goes. */
const secrets: Record<string, string> = {};
/** Every answer the API gave, as text. */
const answers: string[] = [];
/** The answers of GET /admin/webhooks (the list). */
const listAnswers: string[] = [];

/** The encodings a secret could leak in: as is, base64, base64url, hex, and for whsec_ keys the key bytes too. */
function encodings(secret: string): string[] {
  const forms = [secret, Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('base64url')];
  forms.push(Buffer.from(secret).toString('hex'));
  if (secret.startsWith('whsec_')) {
    const key = Buffer.from(secret.slice(6), 'base64');
    forms.push(secret.slice(6), key.toString('hex'), key.toString('base64url').replace(/=+$/, ''));
  }
  // base64 of a long value can end differently depending on what follows; its first 24 characters cannot.
  return forms.map((f) => (f.length > 32 ? f.slice(0, 24) : f));
}

function findSecrets(text: string): string[] {
  const lower = text.toLowerCase();
  return Object.entries(secrets).flatMap(([label, secret]) =>
    encodings(secret)
      .filter((form) => (/^[0-9a-f]+$/.test(form) ? lower.includes(form) : text.includes(form)))
      .map((form) => `${label} as ${form}`),
  );
}

async function api(method: string, path: string, body?: unknown, headers?: Record<string, string>) {
  const res = await h().call(method, path, body, headers);
  const text = await res.text();
  answers.push(text);
  if (method === 'GET' && path.startsWith('/admin/webhooks') && !/\/admin\/webhooks\/\d/.test(path))
    listAnswers.push(text);
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function waitForAttempts(count: number): Promise<void> {
  const until = Date.now() + 8000;
  while (Date.now() < until) {
    const [rows] = await h().deps.db.query(`SELECT COUNT(*) AS n FROM wp_fcwh_attempts`);
    if (Number((rows as { n: number }[])[0]!.n) >= count) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`fewer than ${count} attempts recorded`);
}

beforeAll(async () => {
  const { receiver } = h();
  secrets.shared = h().config.secret;
  secrets.chosen = token('chosen-secret');
  secrets.apiKey = token('api-key');
  secrets.bearer = token('bearer');
  secrets.updatedKey = token('updated-key');
  secrets.wrongGuess = token('wrong-guess');
  secrets.refusedSecret = `${token('refused')} with spaces`;
  secrets.refusedHeader = `${token('refused-header')}\r\nX-Injected: 1`;
  // A chat webhook's URL carries its credential in the path (Slack's /services/T../B../<token>).
  secrets.urlToken = token('url-token');
  secrets.failingUrlToken = token('failing-url-token');
  receiver.setResponder((req) =>
    req.path.startsWith('/failing') ? { status: 500, body: 'down' } : { status: 200 },
  );

  const own = await api('POST', '/admin/webhooks', {
    name: 'Own secret',
    url: `${receiver.url}/ok/${secrets.urlToken}`,
    events: ['feed.deleted'],
    secret: secrets.chosen,
    headers: { 'X-API-Key': secrets.apiKey, Authorization: `Bearer ${secrets.bearer}` },
  });
  expect(own.status).toBe(201);
  const generated = await api('POST', '/admin/webhooks', {
    name: 'Generated secret',
    url: `${receiver.url}/failing/${secrets.failingUrlToken}`,
    events: ['feed.deleted'],
    retry_count: 1,
  });
  expect(generated.status).toBe(201);
  secrets.generated = generated.body.secret;
  const rotated = await api('POST', `/admin/webhooks/${generated.body.id}/rotate-secret`);
  secrets.rotated = rotated.body.secret;
  expect(
    (await api('PUT', `/admin/webhooks/${own.body.id}`, { headers: { 'X-API-Key': secrets.updatedKey } }))
      .status,
  ).toBe(200);
  // Refused input must not be echoed back or logged either.
  expect(
    (
      await api('POST', '/admin/webhooks', {
        name: 'x',
        url: 'https://example.com',
        events: ['*'],
        secret: secrets.refusedSecret,
      })
    ).status,
  ).toBe(400);
  expect(
    (await api('PUT', `/admin/webhooks/${own.body.id}`, { headers: { 'X-Token': secrets.refusedHeader } }))
      .status,
  ).toBe(400);
  expect(
    (await api('GET', '/admin/webhooks', undefined, { authorization: `Bearer ${secrets.wrongGuess}` }))
      .status,
  ).toBe(401);
  await api('GET', '/admin/webhooks');
  await api('GET', `/admin/webhooks/${own.body.id}`);
  await api('GET', `/admin/webhooks/${generated.body.id}`);
  await api('POST', `/admin/webhooks/${own.body.id}/test`);
  await api('POST', `/admin/webhooks/${generated.body.id}/test`);
  const fired = await api('POST', '/events', {
    events: [{ hook: 'fluent_community/feed/deleted', args: ['9'], occurred_at: '2024-01-15 10:30:00' }],
  });
  expect(fired.status).toBe(202);
  // One success, and two failures of the other webhook (its first try and its one retry).
  await waitForAttempts(3);
  const deliveries = await api('GET', `/admin/webhooks/${own.body.id}/deliveries`);
  for (const d of deliveries.body.deliveries)
    await api('GET', `/admin/webhooks/${own.body.id}/deliveries/${d.id}`);
  expect(receiver.requests.filter((r) => r.headers['x-api-key'] === secrets.updatedKey)).toHaveLength(2);
});

describe('secrets at rest', () => {
  it('has a search that finds a planted secret in each encoding (so a clean result means something)', () => {
    for (const [label, secret] of Object.entries(secrets)) {
      for (const form of encodings(secret))
        expect(findSecrets(`x${form}x`), `${label} as ${form}`).not.toEqual([]);
    }
    expect(
      findSecrets(
        `{"v":"${Buffer.from(secrets.rotated!.slice(6), 'base64').toString('hex').toUpperCase()}"}`,
      ),
    ).not.toEqual([]);
  });

  it('dumps the plugin tables with mysqldump and finds no secret or custom header value in any encoding', async () => {
    const { creds } = h().database;
    const { stdout } = await run(
      'mysqldump',
      [
        `--host=${creds.host}`,
        `--port=${creds.port}`,
        `--user=${creds.user}`,
        `--password=${creds.password}`,
        '--skip-ssl',
        '--no-tablespaces',
        creds.name,
      ],
      { maxBuffer: 64 * 1024 * 1024 },
    );
    for (const table of ['webhooks', 'subscriptions', 'events', 'deliveries', 'attempts'])
      expect(stdout).toContain(`INSERT INTO \`wp_fcwh_${table}\``);
    expect(stdout).toContain('Own secret');
    expect(findSecrets(stdout)).toEqual([]);
  });

  it('selects every column of every fcwh_ table and finds no secret in any encoding', async () => {
    const { db } = h().deps;
    const [tables] = await db.query(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name LIKE 'wp\\_fcwh\\_%'`,
    );
    let text = '';
    for (const { name } of tables as { name: string }[]) {
      const [rows] = await db.query(`SELECT * FROM \`${name}\``);
      text += JSON.stringify(rows);
    }
    expect((tables as unknown[]).length).toBeGreaterThanOrEqual(7);
    expect(findSecrets(text)).toEqual([]);
  });

  it('stores URLs, secrets and header values only as AES-256-GCM ciphertext bound to their row', async () => {
    const [rows] = await h().deps.db.query(`SELECT * FROM wp_fcwh_webhooks ORDER BY id`);
    const [own, generated] = rows as SealedRow[];
    const { cipher } = h().deps;
    for (const value of [
      own!.url_enc!,
      own!.secret_enc,
      own!.headers_enc,
      generated!.url_enc!,
      generated!.secret_enc,
      generated!.previous_secret_enc!,
    ])
      expect(value).toMatch(/^v2:[A-Za-z0-9+/]+=*$/);
    expect(own!.url).toBe(`${h().receiver.url.replace(/\/$/, '')}/...`);
    expect(openWebhook(own!, cipher)).toEqual({
      url: `${h().receiver.url}/ok/${secrets.urlToken}`,
      secret: secrets.chosen,
      previousSecret: null,
      headers: { 'X-API-Key': secrets.updatedKey },
    });
    expect(openWebhook(generated!, cipher)).toMatchObject({
      secret: secrets.rotated,
      previousSecret: secrets.generated,
    });
    // A fresh nonce each time: the same plaintext never gives the same ciphertext.
    expect(cipher.encrypt(secrets.chosen!, 'c')).not.toBe(cipher.encrypt(secrets.chosen!, 'c'));
  });
});

describe('secrets in logs and answers', () => {
  it('keeps every secret out of the debug-level log of the whole run', () => {
    const log = logLines.join('');
    expect(log).toContain('"msg":"webhook created"');
    expect(log).toContain('rejected request without a valid shared secret');
    expect(findSecrets(log)).toEqual([]);
  });

  it('shows secrets only masked after the create and rotate answers, and never in an error', () => {
    const { generated, rotated, chosen, ...others } = secrets;
    const createAndRotate = answers.slice(0, 3).join('');
    expect(createAndRotate).toContain(chosen);
    expect(createAndRotate).toContain(rotated);
    const later = answers.slice(3).join('');
    expect(later).toContain(`${rotated!.slice(0, 12)}...`);
    // One webhook's own answers show its URL and headers whole (for editing); the list shows neither.
    const shownInOne = ['apiKey', 'bearer', 'updatedKey', 'urlToken', 'failingUrlToken'];
    for (const [label, secret] of Object.entries({ generated, rotated, chosen, ...others }))
      if (!shownInOne.includes(label)) expect(later, label).not.toContain(secret);
    expect(listAnswers.length).toBeGreaterThan(0);
    for (const [label, secret] of Object.entries(secrets))
      if (label !== 'shared') expect(listAnswers.join(''), label).not.toContain(secret);
  });
});

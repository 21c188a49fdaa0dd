/**
 * Logs: a real sidecar at debug level, through create/test/delivery/rotate and error paths, writes JSON lines
 * without a single secret, authorization header, custom header value or payload body.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startReceiver, type Receiver } from '../../scripts/stack/receiver.ts';
import { startSidecar, type Sidecar } from '../../scripts/stack/sidecar.ts';
import { readTls } from '../../scripts/stack/tls.ts';
import { createLogger } from '../../sidecar/src/log.ts';
import { useTestDatabase } from '../helpers/db.ts';

const db = useTestDatabase('ops_logs');
const marker = (what: string) => `${what}-${randomBytes(12).toString('hex')}`;
const shared = randomBytes(36).toString('base64url');
const secrets = {
  shared,
  ownWebhookSecret: marker('whsec-own'),
  headerValue: marker('header-value'),
  updatedHeaderValue: marker('header-value-2'),
  payloadText: marker('payload-text'),
  responseBody: marker('response-body'),
  wrongBearer: marker('wrong-bearer'),
  rejectedSecret: marker('rejected-secret'),
};
/** Secrets the sidecar generates (webhook secrets, rotated ones); filled in as they appear. */
const generated: string[] = [];

let sidecar: Sidecar | undefined;
let receiver: Receiver | undefined;
const logFile = path.join(inject('stack').runDir, `ops-logs-${randomBytes(3).toString('hex')}.log`);

beforeAll(async () => {
  const stack = inject('stack');
  receiver = await startReceiver({ tls: readTls(stack.tls) });
  sidecar = await startSidecar({
    secret: shared,
    db: { ...db().creds, table_prefix: 'wp_' },
    allowTargets: [`127.0.0.1:${receiver.port}`],
    caFile: stack.tls.caFile,
    retrySchedule: [0.05, 0.05],
    logLevel: 'debug',
    logFile,
  });
});
afterAll(async () => {
  await sidecar?.stop();
  await receiver?.close();
});

async function api(method: string, route: string, body?: unknown, bearer = shared) {
  const res = await fetch(`${sidecar!.url}${route}`, {
    method,
    headers: {
      authorization: `Bearer ${bearer}`,
      'content-type': 'application/json',
      'x-fcwh-acting-user': '1',
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as any };
}

/** The two WordPress tables an event's author is read from, with user 1 (this database has no WordPress). */
async function createUserTables() {
  await db().pool.query(`
    CREATE TABLE wp_users (ID BIGINT UNSIGNED PRIMARY KEY, user_login VARCHAR(60), user_pass VARCHAR(255),
      user_email VARCHAR(100), user_url VARCHAR(100), user_registered DATETIME, display_name VARCHAR(250));
    CREATE TABLE wp_usermeta (umeta_id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY, user_id BIGINT UNSIGNED,
      meta_key VARCHAR(255), meta_value LONGTEXT);
    INSERT INTO wp_users VALUES (1, 'admin', 'hash', 'admin@example.test', '', '2026-01-01 00:00:00', 'Admin');`);
}

async function waitForDeliveries(id: number, status: string, count: number) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { body } = await api('GET', `/admin/webhooks/${id}/deliveries?status=${status}`);
    if (body.deliveries.length >= count) return body.deliveries;
    if (Date.now() > deadline) throw new Error(`webhook ${id}: fewer than ${count} ${status} deliveries`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the log of a real sidecar at debug level', () => {
  it('goes through the whole life of two webhooks', async () => {
    receiver!.setResponder((req) =>
      req.path === '/fails' ? { status: 500, body: secrets.responseBody } : { status: 200 },
    );
    const own = await api('POST', '/admin/webhooks', {
      name: 'own secret',
      url: `${receiver!.url}/ok`,
      events: ['feed.created'],
      secret: secrets.ownWebhookSecret,
      headers: { 'X-Api-Key': secrets.headerValue },
    });
    expect(own.status).toBe(201);
    const made = await api('POST', '/admin/webhooks', {
      name: 'generated secret',
      url: `${receiver!.url}/fails`,
      events: ['feed.created'],
      headers: { Authorization: `Bearer ${secrets.headerValue}` },
      retry_count: 1,
    });
    expect(made.status).toBe(201);
    generated.push(made.body.secret);

    expect((await api('POST', `/admin/webhooks/${own.body.id}/test`)).body).toMatchObject({ success: true });
    const feed = {
      __class: 'FluentCommunity\\App\\Models\\Feed',
      id: 41,
      user_id: '1',
      title: secrets.payloadText,
      message: secrets.payloadText,
      message_rendered: `<p>${secrets.payloadText}</p>`,
      type: 'text',
      space_id: null,
      status: 'published',
      created_at: '2026-01-01 00:00:00',
      updated_at: '2026-01-01 00:00:00',
    };
    const occurred_at = new Date().toISOString().replace('T', ' ').replace('Z', '');
    const events = [{ hook: 'fluent_community/feed/created', args: [feed], actor_id: 1, occurred_at }];
    // Without WordPress's user tables the build fails: an unhandled error, logged with its SQL.
    expect((await api('POST', '/events', { events })).status).toBe(500);
    await createUserTables();
    expect((await api('POST', '/events', { events })).status).toBe(202);
    await waitForDeliveries(own.body.id, 'delivered', 1);
    await waitForDeliveries(made.body.id, 'failed', 1);
    expect(receiver!.requests.some((r) => r.body.includes(secrets.payloadText))).toBe(true);

    const updated = await api('PUT', `/admin/webhooks/${own.body.id}`, {
      headers: { 'X-Api-Key': secrets.updatedHeaderValue },
    });
    expect(updated.status).toBe(200);
    const rotated = await api('POST', `/admin/webhooks/${own.body.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    generated.push(JSON.stringify(rotated.body).match(/whsec_[A-Za-z0-9+/=]+/)![0]);
    expect((await api('POST', `/admin/webhooks/${own.body.id}/test`)).body).toMatchObject({ success: true });
    expect((await api('POST', '/events', { events })).status).toBe(202);
    await waitForDeliveries(own.body.id, 'delivered', 2);

    // Error paths: a wrong shared secret, a refused body carrying a secret, a malformed body.
    expect((await api('GET', '/admin/webhooks', undefined, secrets.wrongBearer)).status).toBe(401);
    const refused = await api('POST', '/admin/webhooks', {
      name: 'x',
      url: 'http://insecure.example/',
      events: ['feed.created'],
      secret: secrets.rejectedSecret,
    });
    expect(refused.status).toBe(400);
    expect((await api('POST', '/events', `{"events": [${secrets.payloadText}`)).status).toBe(400);
    expect((await api('DELETE', `/admin/webhooks/${made.body.id}`)).status).toBe(200);
    receiver!.setResponder(undefined);
  });

  it('holds JSON lines with the events of that life, and none of the secrets', async () => {
    await sidecar!.stop(); // flushes and closes the log
    const text = fs.readFileSync(logFile, 'utf8');
    const lines = text.trimEnd().split('\n');
    const records = lines.map((line) => JSON.parse(line) as { msg: string; level: number; svc: string });
    expect(records.every((r) => r.svc === 'fcwh-sidecar')).toBe(true);
    const messages = records.map((r) => r.msg);
    for (const msg of ['listening', 'webhook created', 'webhook updated', 'webhook deleted', 'stopped'])
      expect(messages).toContain(msg);
    expect(messages).toContain('rejected request without a valid shared secret');
    const unhandled = records.find((r) => r.msg === 'unhandled error') as unknown as { err: { sql: string } };
    expect(unhandled.err.sql).toBe('[redacted]');

    const leaks = Object.entries({
      ...secrets,
      ...Object.fromEntries(generated.map((g, i) => [`generated${i}`, g])),
    })
      .concat([
        ['db password', db().creds.password],
        // A generated secret without its prefix, in case only the random part were logged.
        ...generated.map((g, i): [string, string] => [`generated${i} body`, g.slice('whsec_'.length)]),
      ])
      .filter(([, value]) => text.includes(value))
      .map(([name]) => name);
    expect(leaks).toEqual([]);
    expect(generated).toHaveLength(2);
  });
});

describe('the redaction rules of the logger', () => {
  it('censors secrets, authorization headers and bodies wherever the code puts them', () => {
    const chunks: string[] = [];
    const log = createLogger(
      'debug',
      new Writable({
        write(chunk, _encoding, done) {
          chunks.push(String(chunk));
          done();
        },
      }),
    );
    const secret = marker('s');
    log.debug(
      {
        secret,
        password: secret,
        authorization: `Bearer ${secret}`,
        headers: { authorization: `Bearer ${secret}` },
        req: { headers: { authorization: `Bearer ${secret}` } },
        webhook: { secret, body: secret, payload: secret },
        body: secret,
        payload: secret,
        config: { secret, encryptionKey: secret, db: { password: secret } },
        err: { message: 'Duplicate entry', sql: `INSERT INTO t VALUES ('${secret}')` },
        webhookId: 7,
      },
      'everything at once',
    );
    const line = JSON.parse(chunks.join(''));
    expect(JSON.stringify(line)).not.toContain(secret);
    expect(line).toMatchObject({
      webhookId: 7,
      secret: '[redacted]',
      headers: { authorization: '[redacted]' },
    });
  });
});

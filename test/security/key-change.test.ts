/**
 * The encryption key changes (FCWH_ENCRYPTION_KEY replaced, or wp-config.php's salts rotated): stored values no
 * longer open. The sidecar must start, flag and deactivate those webhooks with a clear error, keep answering the
 * API, never retry them in a loop, and let re-entering the values and rotating the secret mend them.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../sidecar/src/config.ts';
import { createLogger } from '../../sidecar/src/log.ts';
import { startRuntime, type Runtime } from '../../sidecar/src/runtime.ts';
import { useSidecarHarness } from '../helpers/sidecar-app.ts';

const h = useSidecarHarness({ env: { FCWH_RETRY_SCHEDULE: '0.05' } });
const bearer = 'Bearer key-change-token-41c9e2';
const logLines: string[] = [];
let second: Runtime;
let secret = '';
let ids: { active: number; inactive: number } = { active: 0, inactive: 0 };

/** The API of the sidecar started with the new key. */
async function api(method: string, path: string, body?: unknown) {
  const res = await second.app.request(path, {
    method,
    headers: { authorization: `Bearer ${h().config.secret}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function fire(postId: string) {
  expect(
    (
      await api('POST', '/events', {
        events: [
          { hook: 'fluent_community/feed/deleted', args: [postId], occurred_at: '2024-01-15 10:30:00' },
        ],
      })
    ).status,
  ).toBe(202);
}

beforeAll(async () => {
  h().receiver.setResponder(() => ({ status: 200 }));
  const create = async (name: string, status: string) => {
    const res = await h().json('POST', '/admin/webhooks', {
      name,
      url: `${h().receiver.url}/${name}`,
      events: ['feed.deleted'],
      headers: { Authorization: bearer },
      status,
    });
    expect(res.status).toBe(201);
    return Number(res.body.id);
  };
  ids = { active: await create('active', 'active'), inactive: await create('inactive', 'inactive') };
  // The first sidecar stops; a second one starts on the same database with another key.
  await h().worker.stop(1000);
  const { creds } = h().database;
  const config = loadConfig({
    FCWH_SECRET: h().config.secret,
    FCWH_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    FCWH_DB_HOST: `${creds.host}:${creds.port}`,
    FCWH_DB_NAME: creds.name,
    FCWH_DB_USER: creds.user,
    FCWH_DB_PASSWORD: creds.password,
    FCWH_TABLE_PREFIX: 'wp_',
    FCWH_ALLOW_TARGETS: `127.0.0.1:${h().receiver.port}`,
    FCWH_CA_FILE: inject('stack').tls.caFile,
    FCWH_RETRY_SCHEDULE: '0.05',
    FCWH_LOG_LEVEL: 'info',
  });
  second = await startRuntime(
    config,
    createLogger('info', { write: (line: string) => void logLines.push(line) }),
    { startWorker: true, worker: { pollMs: 100 } },
  );
});
afterAll(() => second?.close(2000));

describe('after a key change', () => {
  it('starts, and says at start which webhooks cannot be decrypted, deactivating the active one', async () => {
    const errors = logLines.map((l) => JSON.parse(l)).filter((l) => l.level >= 50);
    expect(errors.map((l) => l.webhookId).sort()).toEqual([ids.active, ids.inactive].sort());
    expect(errors[0].msg).toContain('cannot be decrypted');
    expect(logLines.join('')).not.toContain('key-change-token');
  });

  it('still lists and shows them (200), flagged, masked and off', async () => {
    const list = await api('GET', '/admin/webhooks');
    expect(list.status).toBe(200);
    for (const w of list.body.webhooks) {
      expect(w).toMatchObject({ status: 'inactive', secret: '...' });
      expect(w.last_error).toContain('cannot be decrypted');
    }
    const one = await api('GET', `/admin/webhooks/${ids.active}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ headers: {}, status: 'inactive' });
    const test = await api('POST', `/admin/webhooks/${ids.active}/test`);
    expect(test.status).toBe(200);
    expect(test.body).toMatchObject({ success: false });
    expect(test.body.message).toContain('cannot be decrypted');
  });

  it('keeps a webhook off until all its values are mended, then turns it back on', async () => {
    const url = `${h().receiver.url}/mended`;
    const saved = await api('PUT', `/admin/webhooks/${ids.active}`, {
      url,
      headers: { Authorization: bearer },
      status: 'active',
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ url, status: 'inactive', headers: { Authorization: bearer } });
    expect(saved.body.last_error).toContain('secret cannot be decrypted');
    const rotated = await api('POST', `/admin/webhooks/${ids.active}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body).toMatchObject({ status: 'active', last_error: null });
    secret = rotated.body.secret;
    expect(secret).toMatch(/^whsec_/);
    h().receiver.clear();
    h().receiver.setResponder(() => ({ status: 200 }));
    await fire('201');
    const [req] = await h().receiver.waitForRequests(1);
    expect(req).toMatchObject({ path: '/mended', headers: { authorization: bearer } });
    // The old secret did not open: the new one signs alone.
    expect(req!.headers['x-fluent-signature-previous']).toBeUndefined();
  });

  it('leaves a webhook the administrator had turned off as it was once mended', async () => {
    await api('PUT', `/admin/webhooks/${ids.inactive}`, {
      url: `${h().receiver.url}/inactive`,
      headers: {},
    });
    const rotated = await api('POST', `/admin/webhooks/${ids.inactive}/rotate-secret`);
    expect(rotated.body).toMatchObject({ status: 'inactive', last_error: null });
  });

  it('gives up at once on a row that stops opening while running: one attempt, no loop, webhook off', async () => {
    const id = ids.active;
    // Moved to another row's URL while the sidecar runs (a database write).
    await second.deps.db.query(
      `UPDATE wp_fcwh_webhooks SET url_enc = (SELECT url_enc FROM (SELECT url_enc FROM wp_fcwh_webhooks WHERE id = ?) x) WHERE id = ?`,
      [ids.inactive, id],
    );
    await fire('98765');
    const until = Date.now() + 10_000;
    let attempts: { error: string }[] = [];
    while (Date.now() < until) {
      const [rows] = await second.deps.db.query(
        `SELECT a.error FROM wp_fcwh_attempts a JOIN wp_fcwh_deliveries d ON d.id = a.delivery_id
         JOIN wp_fcwh_events e ON e.id = d.event_id WHERE a.webhook_id = ? AND e.payload LIKE '%98765%'`,
        [id],
      );
      attempts = rows as { error: string }[];
      if (attempts.length) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(attempts).toHaveLength(1);
    expect(attempts[0]!.error).toContain('cannot be decrypted');
    await new Promise((r) => setTimeout(r, 500));
    const [again] = await second.deps.db.query(
      `SELECT COUNT(*) AS n FROM wp_fcwh_attempts WHERE webhook_id = ?`,
      [id],
    );
    expect(Number((again as { n: number }[])[0]!.n)).toBe(2);
    const shown = await api('GET', `/admin/webhooks/${id}`);
    expect(shown.status).toBe(200);
    expect(shown.body.status).toBe('inactive');
  });
});

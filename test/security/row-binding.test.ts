/**
 * A database writer (an SQL injection elsewhere in WordPress, a leaked database account) who cannot read the key:
 * changing where a webhook goes, or moving sealed values between rows, must not make the sidecar send a decrypted
 * `Authorization` header anywhere the administrator did not save it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useSidecarHarness } from '../helpers/sidecar-app.ts';

const h = useSidecarHarness({ env: { FCWH_RETRY_SCHEDULE: '0.05' } });
const bearer = 'Bearer victim-token-6f1c2a9e0b7d4e8f';

async function create(name: string, path: string, headers: Record<string, string> = {}) {
  const res = await h().json('POST', '/admin/webhooks', {
    name,
    url: `${h().receiver.url}${path}`,
    events: ['feed.deleted'],
    headers,
    retry_count: 0,
  });
  expect(res.status).toBe(201);
  return Number(res.body.id);
}

async function fire(postId: string): Promise<void> {
  const res = await h().call('POST', '/events', {
    events: [{ hook: 'fluent_community/feed/deleted', args: [postId], occurred_at: '2024-01-15 10:30:00' }],
  });
  expect(res.status).toBe(202);
}

/** Waits until `count` attempts of webhook `id` are recorded; resolves with their errors. */
async function attemptsOf(id: number, count: number): Promise<(string | null)[]> {
  const until = Date.now() + 10_000;
  for (;;) {
    const [rows] = await h().deps.db.query(
      `SELECT error FROM wp_fcwh_attempts WHERE webhook_id = ? ORDER BY id`,
      [id],
    );
    const errors = (rows as { error: string | null }[]).map((r) => r.error);
    if (errors.length >= count) return errors;
    if (Date.now() > until) throw new Error(`webhook ${id}: ${errors.length} of ${count} attempts`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const column = async (id: number, name: string) => {
  const [rows] = await h().deps.db.query(`SELECT ?? AS v FROM wp_fcwh_webhooks WHERE id = ?`, [name, id]);
  return (rows as { v: string }[])[0]!.v;
};
const write = (id: number, name: string, value: string) =>
  h().deps.db.query(`UPDATE wp_fcwh_webhooks SET ?? = ? WHERE id = ?`, [name, value, id]);

beforeAll(() => h().receiver.setResponder(() => ({ status: 200 })));

describe('sealed values are bound to their row', () => {
  it('keeps sending to the saved URL when a database write changes the url column', async () => {
    const { receiver } = h();
    const victim = await create('victim', '/victim', { Authorization: bearer });
    await write(victim, 'url', `${receiver.url}/attacker`);
    receiver.clear();
    receiver.setResponder(() => ({ status: 200 }));
    await fire('101');
    await attemptsOf(victim, 1);
    expect(receiver.requests.map((r) => [r.path, r.headers.authorization])).toEqual([['/victim', bearer]]);
  });

  it("refuses a URL copied in from another webhook's row: no request, a clear error, the webhook off", async () => {
    const { receiver } = h();
    const attacker = await create('attacker', '/attacker');
    const victim = await create('victim 2', '/victim2', { Authorization: bearer });
    await h().json('PUT', `/admin/webhooks/${attacker}`, { status: 'inactive' });
    await write(victim, 'url_enc', await column(attacker, 'url_enc'));
    receiver.clear();
    receiver.setResponder(() => ({ status: 200 }));
    await fire('102');
    const [error] = await attemptsOf(victim, 1);
    expect(error).toContain("The webhook's stored url, secret, headers cannot be decrypted");
    // Earlier tests' webhooks still receive the event; nothing went to the attacker or to the victim's URL.
    expect(receiver.requests.filter((r) => /^\/(attacker|victim2)/.test(r.path))).toEqual([]);
    const shown = await h().json('GET', `/admin/webhooks/${victim}`);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ status: 'inactive', headers: {} });
    expect(shown.body.last_error).toContain('cannot be decrypted');
  });

  it("does not send headers moved from another webhook's row to the attacker's URL", async () => {
    const { receiver } = h();
    const victim = await create('victim 3', '/victim3', { Authorization: bearer });
    const attacker = await create('attacker 3', '/attacker3');
    await h().json('PUT', `/admin/webhooks/${victim}`, { status: 'inactive' });
    await write(attacker, 'headers_enc', await column(victim, 'headers_enc'));
    await write(attacker, 'secret_enc', await column(victim, 'secret_enc'));
    receiver.clear();
    receiver.setResponder(() => ({ status: 200 }));
    await fire('103');
    const [error] = await attemptsOf(attacker, 1);
    expect(error).toContain('cannot be decrypted');
    expect(receiver.requests.filter((r) => r.path === '/attacker3')).toEqual([]);
  });

  it('seals again on an update of the URL, so the new URL is sent the headers and the old binding is gone', async () => {
    const { receiver } = h();
    const id = await create('moved', '/before', { Authorization: bearer });
    const before = await column(id, 'headers_enc');
    const res = await h().json('PUT', `/admin/webhooks/${id}`, { url: `${receiver.url}/after` });
    expect(res.status).toBe(200);
    expect(await column(id, 'headers_enc')).not.toBe(before);
    receiver.clear();
    receiver.setResponder(() => ({ status: 200 }));
    await fire('104');
    await attemptsOf(id, 1);
    const moved = receiver.requests.filter((r) => ['/before', '/after'].includes(r.path));
    expect(moved.map((r) => [r.path, r.headers.authorization])).toEqual([['/after', bearer]]);
    // The value sealed for the old URL no longer opens in this row.
    await write(id, 'headers_enc', before);
    expect((await h().json('GET', `/admin/webhooks/${id}`)).body.last_error).toContain(
      'headers cannot be decrypted',
    );
  });
});

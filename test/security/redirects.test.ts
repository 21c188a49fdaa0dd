import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useSidecarHarness } from '../helpers/sidecar-app.ts';
import { startCanary, type Canary } from './servers.ts';

const h = useSidecarHarness();
let canary: Canary;
const codes = [301, 302, 303, 307, 308];

beforeAll(async () => {
  canary = await startCanary();
});
afterAll(async () => {
  await canary?.close();
});
beforeEach(() => h().receiver.clear());

/** Every redirect points either at the canary (blocked) or back at the allowlisted receiver (allowed, still not followed). */
function redirectTo(location: (code: number) => string) {
  h().receiver.setResponder((req) => {
    const code = Number(/^\/hook\/(\d{3})$/.exec(req.path)?.[1]);
    return codes.includes(code) ? { status: code, headers: { location: location(code) } } : { status: 200 };
  });
}

const followed = () => h().receiver.requests.filter((r) => r.path.startsWith('/followed'));

describe('redirecting receivers', () => {
  it.each(codes)(
    'reports a %i to the canary as a failure with its status and never follows it',
    async (code) => {
      redirectTo(() => `https://127.0.0.1:${canary.port}/stolen`);
      const result = await h().deps.sender.send(`${h().receiver.url}/hook/${code}`, {}, '{}');
      expect(result).toMatchObject({
        ok: false,
        status: code,
        error: `HTTP ${code} redirect (not followed).`,
      });
      expect(canary.connections).toEqual([]);
    },
  );

  it.each(codes)('does not follow a %i even to an allowlisted target', async (code) => {
    redirectTo((c) => `${h().receiver.url}/followed/${c}`);
    const result = await h().deps.sender.send(`${h().receiver.url}/hook/${code}`, {}, '{}');
    expect(result).toMatchObject({ ok: false, status: code });
    expect(h().receiver.requests.map((r) => r.path)).toEqual([`/hook/${code}`]);
  });

  it('records each redirected delivery attempt as failed with the 3xx status, never followed', async () => {
    redirectTo(() => `https://127.0.0.1:${canary.port}/stolen`);
    const ids: Record<number, number> = {};
    for (const code of codes) {
      const created = await h().json('POST', '/admin/webhooks', {
        name: `redirect ${code}`,
        url: `${h().receiver.url}/hook/${code}`,
        events: ['feed.deleted'],
        retry_count: 0,
      });
      expect(created.status).toBe(201);
      ids[code] = created.body.id;
    }
    const fired = await h().json('POST', '/events', {
      events: [{ hook: 'fluent_community/feed/deleted', args: ['9'], occurred_at: '2024-01-15 10:30:00' }],
    });
    expect(fired.status).toBe(202);
    await h().receiver.waitForRequests(codes.length);
    const attempts = await waitForAttempts(codes.length);
    for (const code of codes) {
      expect(attempts.filter((a) => a.webhook_id === ids[code])).toEqual([
        { webhook_id: ids[code], status_code: code, error: `HTTP ${code} redirect (not followed).` },
      ]);
    }
    expect(followed()).toEqual([]);
    expect(canary.connections).toEqual([]);
  });
});

async function waitForAttempts(count: number) {
  const until = Date.now() + 5000;
  for (;;) {
    const [rows] = await h().deps.db.query(
      `SELECT webhook_id, status_code, error FROM wp_fcwh_attempts ORDER BY id`,
    );
    const list = (rows as { webhook_id: number | string; status_code: number; error: string }[]).map((r) => ({
      ...r,
      webhook_id: Number(r.webhook_id),
    }));
    if (list.length >= count) return list;
    if (Date.now() > until) throw new Error(`only ${list.length} attempts recorded`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

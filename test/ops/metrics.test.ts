/** /healthz, /readyz and /metrics answer real values after real deliveries (in-process sidecar, real MariaDB). */
import { describe, expect, it } from 'vitest';
import { useSidecarHarness } from '../helpers/sidecar-app.ts';

const h = useSidecarHarness({ env: { FCWH_RETRY_SCHEDULE: '0.05,0.1' } });

/** The value of one sample of the Prometheus text format, e.g. `fcwh_deliveries_total{outcome="delivered"}`. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    const match = /^([a-z_:]+)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = match[2] ? match[2].split(',') : [];
    if (wanted.every((w) => have.includes(w)) && have.length === wanted.length) return Number(match[3]);
  }
  throw new Error(`no sample ${name}${JSON.stringify(labels)} in:\n${text}`);
}

async function metrics(): Promise<string> {
  const res = await h().call('GET', '/metrics');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
}

async function createHook(path: string, extra: Record<string, unknown> = {}) {
  const { status, body } = await h().json('POST', '/admin/webhooks', {
    name: path,
    url: `${h().receiver.url}${path}`,
    events: ['feed.deleted'],
    ...extra,
  });
  expect(status).toBe(201);
  return body as { id: number };
}

const fire = async (ids: number[]) => {
  const occurred = new Date().toISOString().replace('T', ' ').replace('Z', '');
  const events = ids.map((id) => ({
    hook: 'fluent_community/feed/deleted',
    args: [String(id)],
    actor_id: 0,
    occurred_at: occurred,
  }));
  expect((await h().json('POST', '/events', { events })).status).toBe(202);
};

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('health and metrics', () => {
  it('answers /healthz without the secret and /readyz with every check true', async () => {
    const alive = await h().call('GET', '/healthz', undefined, { authorization: '' });
    expect([alive.status, await alive.json()]).toEqual([200, { status: 'ok' }]);
    expect((await h().call('GET', '/readyz', undefined, { authorization: '' })).status).toBe(401);
    expect(await h().json('GET', '/readyz')).toMatchObject({
      status: 200,
      body: { status: 'ready', checks: { database: true, migrations: true, worker: true } },
    });
    expect((await h().call('GET', '/metrics', undefined, { authorization: '' })).status).toBe(401);
  });

  it('counts deliveries by outcome and times every attempt', async () => {
    const { receiver } = h();
    receiver.setResponder((req) => (req.path === '/fails' ? { status: 500 } : { status: 200 }));
    await createHook('/works');
    await createHook('/fails', { retry_count: 1 });
    await fire([1, 2, 3]);
    // 3 delivered to /works; /fails: 3 first attempts retried, then 3 given up.
    await until('nine attempts', async () => {
      const text = await metrics();
      return sample(text, 'fcwh_attempt_duration_seconds_count') >= 9;
    });
    const text = await metrics();
    expect(sample(text, 'fcwh_deliveries_total', { outcome: 'delivered' })).toBe(3);
    expect(sample(text, 'fcwh_deliveries_total', { outcome: 'failed' })).toBe(3);
    expect(sample(text, 'fcwh_delivery_attempts_total', { outcome: 'delivered' })).toBe(3);
    expect(sample(text, 'fcwh_delivery_attempts_total', { outcome: 'retry' })).toBe(3);
    expect(sample(text, 'fcwh_delivery_attempts_total', { outcome: 'give_up' })).toBe(3);
    expect(sample(text, 'fcwh_attempt_duration_seconds_count')).toBe(9);
    expect(sample(text, 'fcwh_attempt_duration_seconds_sum')).toBeGreaterThan(0);
    expect(sample(text, 'fcwh_attempt_duration_seconds_bucket', { le: '+Inf' })).toBe(9);
    expect(sample(text, 'fcwh_events_ingested_total')).toBe(3);
    expect(sample(text, 'fcwh_queue_depth')).toBe(0);
    expect(sample(text, 'fcwh_oldest_due_seconds')).toBe(0);
    expect(sample(text, 'fcwh_webhooks_active')).toBe(2);
    expect(sample(text, 'fcwh_webhooks_disabled')).toBe(0);
    receiver.setResponder(undefined);
  });

  it('shows the queue depth and the age of the oldest due delivery while the worker is stopped', async () => {
    const { worker, deps } = h();
    await worker.stop();
    try {
      await fire([10, 11]); // POST /events stores the events and their deliveries at once
      const [rows] = await deps.db.query(
        "SELECT COUNT(*) AS n FROM wp_fcwh_deliveries WHERE status = 'pending'",
      );
      const pending = (rows as { n: number }[])[0]!.n;
      expect(pending).toBe(4); // two events, two active webhooks
      await deps.db.query(
        "UPDATE wp_fcwh_deliveries SET next_attempt_at = UTC_TIMESTAMP(3) - INTERVAL 90 SECOND WHERE status = 'pending'",
      );
      const text = await metrics();
      expect(sample(text, 'fcwh_queue_depth')).toBe(pending);
      expect(sample(text, 'fcwh_oldest_due_seconds')).toBeGreaterThanOrEqual(90);
      expect(sample(text, 'fcwh_oldest_due_seconds')).toBeLessThan(120);
      expect((await h().json('GET', '/readyz')).body).toMatchObject({
        code: 'not_ready',
        data: { status: 503, checks: { database: true, migrations: true, worker: false } },
      });
    } finally {
      worker.start();
    }
    await until('the queue drained', async () => sample(await metrics(), 'fcwh_queue_depth') === 0);
    expect(sample(await metrics(), 'fcwh_oldest_due_seconds')).toBe(0);
  });

  it('counts disabled webhooks', async () => {
    const hook = await createHook('/to-disable');
    const before = sample(await metrics(), 'fcwh_webhooks_disabled');
    expect((await h().json('PUT', `/admin/webhooks/${hook.id}`, { status: 'inactive' })).status).toBe(200);
    expect(sample(await metrics(), 'fcwh_webhooks_disabled')).toBe(before + 1);
  });
});

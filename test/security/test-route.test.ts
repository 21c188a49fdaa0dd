/**
 * The test route sends a request at once each time it is called: it is limited per webhook. What it and last_error
 * say about a refused target never names the internal address a host resolves to; the log does.
 */
import { describe, expect, it } from 'vitest';
import { useSidecarHarness } from '../helpers/sidecar-app.ts';
import { stubResolver } from './servers.ts';

const logLines: string[] = [];
// db.corp.example stands for an internal name: it passes the URL check (a dotted name) and resolves to 10.0.3.7.
const dns = stubResolver({ 'db.corp.example': ['10.0.3.7'] });
const h = useSidecarHarness({
  lookup: dns.resolve,
  env: { FCWH_LOG_LEVEL: 'warn' },
  logDestination: { write: (line: string) => void logLines.push(line) },
});

describe('the test route', () => {
  it('sends five tests of one webhook at once, then answers 429 rate_limited; other webhooks are not held', async () => {
    const [hammered, other] = [await h().webhook('hammered', ['*']), await h().webhook('other', ['*'])];
    for (let i = 0; i < 5; i++) {
      const res = await h().json('POST', `/admin/webhooks/${hammered}/test`);
      expect(res.body, `test ${i + 1}`).toMatchObject({ success: true });
    }
    const refused = await h().json('POST', `/admin/webhooks/${hammered}/test`);
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({
      code: 'rate_limited',
      message: expect.stringMatching(/^Too many tests of this webhook: try again in \d+ seconds?\.$/),
      data: { status: 429, retry_after: expect.any(Number) },
    });
    expect(h().receiver.requests.filter((r) => r.path === '/hammered')).toHaveLength(5);
    expect((await h().json('POST', `/admin/webhooks/${other}/test`)).body).toMatchObject({ success: true });
    // A missing webhook is still a 404, however often it is asked for.
    expect((await h().json('POST', '/admin/webhooks/987654/test')).status).toBe(404);
  });

  it('says a name is not a public address, in its answer and in last_error, and names the address only in the log', async () => {
    const created = await h().json('POST', '/admin/webhooks', {
      name: 'internal',
      url: 'https://db.corp.example/hook',
      events: ['feed.deleted'],
      retry_count: 0,
    });
    expect(created.status).toBe(201);
    const id = created.body.id as number;
    const tested = await h().json('POST', `/admin/webhooks/${id}/test`);
    expect(tested.body).toMatchObject({
      success: false,
      status_code: null,
      message: 'Webhook test failed: Blocked target: db.corp.example is not a public address.',
    });

    const fired = await h().json('POST', '/events', {
      events: [{ hook: 'fluent_community/feed/deleted', args: ['9'], occurred_at: '2024-01-15 10:30:00' }],
    });
    expect(fired.status).toBe(202);
    await expect
      .poll(async () => (await h().json('GET', `/admin/webhooks/${id}`)).body.last_error, { timeout: 10_000 })
      .toBe('Blocked target: db.corp.example is not a public address.');
    const deliveries = await h().json('GET', `/admin/webhooks/${id}/deliveries`);
    expect(JSON.stringify([tested.body, deliveries.body])).not.toContain('10.0.3.7');

    const logged = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logged).toContainEqual(
      expect.objectContaining({
        msg: 'webhook host resolves to a blocked address',
        host: 'db.corp.example',
        detail: 'address 10.0.3.7 is private, not public',
      }),
    );
  });
});

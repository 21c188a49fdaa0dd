/**
 * The test route sends a request at once each time it is called: it is limited per webhook, and what it answers
 * about a refused target never names an internal address.
 */
import { describe, expect, it } from 'vitest';
import { useSidecarHarness } from '../helpers/sidecar-app.ts';

const h = useSidecarHarness({ worker: false });

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
});

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { describe, expect, it } from 'vitest';
import type { ReceivedRequest } from '../../scripts/stack/receiver.ts';
import { useSidecarHarness } from '../helpers/sidecar-app.ts';

const overlapSeconds = 2;
const h = useSidecarHarness({ env: { FCWH_ROTATION_OVERLAP_SECONDS: String(overlapSeconds) } });

/** The spec's verifyWebhookSignature snippet, verbatim. */
function verifyWebhookSignature(payload: string, signature: string, secret: string) {
  const hmac = createHmac('sha256', secret);
  const digest = 'sha256=' + hmac.update(payload).digest('hex');
  return timingSafeEqual(Buffer.from(signature), Buffer.from(digest));
}

const standard = (secret: string, req: ReceivedRequest, signature = req.headers['webhook-signature']!) => {
  try {
    new StandardWebhook(secret).verify(req.body, { ...req.headers, 'webhook-signature': signature });
    return true;
  } catch {
    return false;
  }
};
const svix = (secret: string, req: ReceivedRequest, signature = req.headers['webhook-signature']!) => {
  try {
    new SvixWebhook(secret).verify(req.body, { ...req.headers, 'webhook-signature': signature });
    return true;
  } catch {
    return false;
  }
};

/** One signed request through the test route and one event delivered by the worker, as the receiver got them. */
async function signedRequests(id: number): Promise<ReceivedRequest[]> {
  h().receiver.clear();
  const tested = await h().json('POST', `/admin/webhooks/${id}/test`);
  expect(tested.body).toMatchObject({ success: true });
  const fired = await h().json('POST', '/events', {
    events: [{ hook: 'fluent_community/feed/deleted', args: ['9'], occurred_at: '2024-01-15 10:30:00' }],
  });
  expect(fired.status).toBe(202);
  return h().receiver.waitForRequests(2, { timeoutMs: 5000 });
}

describe('secret rotation', () => {
  it('signs with both secrets during the overlap window and with the new one alone after it', async () => {
    const created = await h().json('POST', '/admin/webhooks', {
      name: 'Rotating',
      url: `${h().receiver.url}/rotating`,
      events: ['feed.deleted'],
    });
    const oldSecret: string = created.body.secret;
    const rotated = await h().json('POST', `/admin/webhooks/${created.body.id}/rotate-secret`);
    const rotatedAt = Date.now();
    expect(rotated.status).toBe(200);
    const newSecret: string = rotated.body.secret;
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(oldSecret);
    const announced = Date.parse(`${rotated.body.previous_secret_expires_at.replace(' ', 'T')}Z`);
    expect(Math.abs(announced - (rotatedAt + overlapSeconds * 1000))).toBeLessThan(1500);
    // The answer gives the expiry in whole seconds; the stored one, which decides, has milliseconds.
    const [rows] = await h().deps.db.query(
      `SELECT previous_secret_expires_at AS at FROM wp_fcwh_webhooks WHERE id = ?`,
      [created.body.id],
    );
    const expires = Date.parse(`${(rows as { at: string }[])[0]!.at.replace(' ', 'T')}Z`);
    expect(expires - announced).toBeGreaterThanOrEqual(0);
    expect(expires - announced).toBeLessThan(1000);
    const stranger = `whsec_${randomBytes(32).toString('base64')}`;

    const during = await signedRequests(created.body.id);
    expect(Date.now()).toBeLessThan(expires);
    for (const req of during) {
      const signatures = req.headers['webhook-signature']!.split(' ');
      expect(signatures).toHaveLength(2);
      for (const s of signatures) expect(s).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
      const [forNew, forOld] = signatures as [string, string];
      // Each value verifies alone, with its own secret only, in both libraries.
      expect([standard(newSecret, req, forNew), standard(oldSecret, req, forNew)]).toEqual([true, false]);
      expect([standard(oldSecret, req, forOld), standard(newSecret, req, forOld)]).toEqual([true, false]);
      expect([svix(newSecret, req, forNew), svix(oldSecret, req, forNew)]).toEqual([true, false]);
      expect([svix(oldSecret, req, forOld), svix(newSecret, req, forOld)]).toEqual([true, false]);
      // A receiver holding either secret accepts the whole header; one holding neither does not.
      expect([standard(newSecret, req), standard(oldSecret, req), standard(stranger, req)]).toEqual([
        true,
        true,
        false,
      ]);
      expect([svix(newSecret, req), svix(oldSecret, req), svix(stranger, req)]).toEqual([true, true, false]);
      // The spec's snippet: X-Fluent-Signature for the new secret, X-Fluent-Signature-Previous for the old one.
      expect(verifyWebhookSignature(req.body, req.headers['x-fluent-signature']!, newSecret)).toBe(true);
      expect(verifyWebhookSignature(req.body, req.headers['x-fluent-signature']!, oldSecret)).toBe(false);
      expect(verifyWebhookSignature(req.body, req.headers['x-fluent-signature-previous']!, oldSecret)).toBe(
        true,
      );
    }

    await new Promise((r) => setTimeout(r, Math.max(0, expires - Date.now() + 100)));
    const after = await signedRequests(created.body.id);
    for (const req of after) {
      expect(req.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
      expect(req.headers['x-fluent-signature-previous']).toBeUndefined();
      expect([standard(newSecret, req), standard(oldSecret, req)]).toEqual([true, false]);
      expect([svix(newSecret, req), svix(oldSecret, req)]).toEqual([true, false]);
      expect(verifyWebhookSignature(req.body, req.headers['x-fluent-signature']!, newSecret)).toBe(true);
    }
  });

  it('answers 404 not_found when rotating a webhook that does not exist', async () => {
    const res = await h().json('POST', '/admin/webhooks/987654321/rotate-secret');
    expect(res).toMatchObject({ status: 404, body: { code: 'not_found', data: { status: 404 } } });
  });
});

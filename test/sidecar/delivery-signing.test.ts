/** Signing against fixed vectors: the Standard Webhooks specification's own example, and the spec's sha256= form. */
import { describe, expect, it } from 'vitest';
import { attemptHeaders, loggableHeaders } from '../../sidecar/src/delivery/send/headers.ts';
import { signatureHeaders, standardSignature } from '../../sidecar/src/delivery/sign/signer.ts';

// The example of the Standard Webhooks specification (and svix's documentation).
const vector = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  msgId: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
// `printf '%s' '{"test": 2432232314}' | openssl dgst -sha256 -hmac whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw`
const fluent = 'sha256=80ec8a89ce3cd22133a1066caecb4d04fea7467657c8514d717ec42c38a5c94c';

describe('delivery signing', () => {
  it('produces the Standard Webhooks specification example signature, again when the key is cached', () => {
    for (let i = 0; i < 2; i++)
      expect(standardSignature(vector.msgId, vector.timestamp, vector.body, vector.secret)).toBe(
        vector.signature,
      );
  });

  it('signs with both secrets during a rotation, each the same as alone', () => {
    const other = 'whsec_' + Buffer.alloc(32, 7).toString('base64');
    const alone = standardSignature(vector.msgId, vector.timestamp, vector.body, other);
    const headers = signatureHeaders({ ...vector, previousSecret: other });
    expect(headers).toEqual({
      'x-fluent-signature': fluent,
      'webhook-id': vector.msgId,
      'webhook-timestamp': String(vector.timestamp),
      'webhook-signature': `${vector.signature} ${alone}`,
      'x-fluent-signature-previous': expect.stringMatching(/^sha256=[0-9a-f]{64}$/),
    });
    expect(headers['x-fluent-signature-previous']).not.toBe(fluent);
  });

  it('puts custom headers first, lower-cased, then ours, and logs them without secrets or custom values', () => {
    const headers = attemptHeaders({
      event: 'feed.created',
      msgId: vector.msgId,
      body: vector.body,
      webhookId: 7,
      customHeaders: { 'X-Api-Key': 'k3y' },
      secret: vector.secret,
      previousSecret: null,
      timestamp: vector.timestamp,
    });
    expect(Object.keys(headers)).toEqual([
      'x-api-key',
      'content-type',
      'user-agent',
      'x-fluent-event',
      'x-fluent-webhook-id',
      'x-fluent-signature',
      'webhook-id',
      'webhook-timestamp',
      'webhook-signature',
    ]);
    expect(headers['x-fluent-signature']).toBe(fluent);
    expect(headers['webhook-signature']).toBe(vector.signature);
    const logged = loggableHeaders(headers, ['X-Api-Key']);
    expect(logged).toMatchObject({
      'x-api-key': '[redacted]',
      'x-fluent-signature': '[redacted]',
      'webhook-signature': '[redacted]',
      'webhook-id': vector.msgId,
      'x-fluent-webhook-id': '7',
    });
    expect(JSON.stringify(logged)).not.toMatch(/k3y|sha256=|v1,/);
  });
});

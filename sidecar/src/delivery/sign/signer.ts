/** Signs a payload: the spec's X-Fluent-Signature and the Standard Webhooks headers. Pure functions. */
import { createHmac } from 'node:crypto';

/** The Standard Webhooks key: base64 after `whsec_`, else the secret's own bytes (receivers then use raw format). */
export function standardKey(secret: string): Buffer {
  if (/^whsec_[A-Za-z0-9+/]+={0,2}$/.test(secret)) return Buffer.from(secret.slice(6), 'base64');
  return Buffer.from(secret, 'utf8');
}

/** Decoded keys by secret (the same few secrets sign every delivery); cleared when it reaches 1,000 entries. */
const keys = new Map<string, Buffer>();
function cachedKey(secret: string): Buffer {
  let key = keys.get(secret);
  if (!key) {
    if (keys.size >= 1000) keys.clear();
    key = standardKey(secret);
    keys.set(secret, key);
  }
  return key;
}

/** `sha256=<hex HMAC-SHA256 of the raw body, keyed with the secret string>`, as the spec's snippet checks. */
export function fluentSignature(body: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`. `timestamp` in Unix seconds. */
export function standardSignature(
  msgId: string,
  timestamp: number,
  body: string | Buffer,
  secret: string,
): string {
  const mac = createHmac('sha256', cachedKey(secret)).update(`${msgId}.${timestamp}.`).update(body);
  return `v1,${mac.digest('base64')}`;
}

export interface SignInput {
  /** The bytes sent (a string is signed as its UTF-8 bytes). */
  body: string | Buffer;
  msgId: string;
  /** Unix seconds. */
  timestamp: number;
  secret: string;
  /** During a rotation's overlap window, the old secret signs too. */
  previousSecret?: string | null;
}

/** The signature headers of one attempt. */
export function signatureHeaders(input: SignInput): Record<string, string> {
  const { body, msgId, timestamp, secret, previousSecret } = input;
  const secrets = previousSecret ? [secret, previousSecret] : [secret];
  const headers: Record<string, string> = {
    'x-fluent-signature': fluentSignature(body, secret),
    'webhook-id': msgId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': secrets.map((s) => standardSignature(msgId, timestamp, body, s)).join(' '),
  };
  if (previousSecret) headers['x-fluent-signature-previous'] = fluentSignature(body, previousSecret);
  return headers;
}

/** Webhook secrets: generation, masking, and AES-256-GCM encryption at rest with a key kept out of the database. */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** `whsec_` + base64 of 32 random bytes, the Standard Webhooks format. */
export function generateSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** `whsec_abc123...`: enough to recognise a secret, never enough to use it. */
export function maskSecret(secret: string): string {
  const prefix = secret.startsWith('whsec_') ? 'whsec_' : '';
  return `${prefix}${secret.slice(prefix.length, prefix.length + 6)}...`;
}

/** A stored value that cannot be opened: another key, another row's value, or not a ciphertext at all. */
export class DecryptError extends Error {}

export interface Cipher {
  /**
   * `v2:` + base64 of nonce, tag and data, with `context` as associated data: the value opens only with the same
   * context (the webhook's id and URL, see sealed-webhook.ts).
   */
  encrypt(plain: string, context?: string): string;
  /** Opens a `v2:` value made with the same context; throws DecryptError otherwise (`v1:` values too). */
  decrypt(stored: string, context?: string): string;
}

/** SHA-256 of the key material: the AES-256 key of both versions. */
const deriveKey = (keyMaterial: string) =>
  createHash('sha256').update(`fcwh-secrets-at-rest:v1:${keyMaterial}`).digest();

const nonceBytes = 12;
const tagBytes = 16;

function open(key: Buffer, raw: Buffer, aad: Buffer | undefined): string {
  if (raw.length < nonceBytes + tagBytes) throw new DecryptError('too short to be a ciphertext');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, nonceBytes));
    if (aad) decipher.setAAD(aad);
    decipher.setAuthTag(raw.subarray(nonceBytes, nonceBytes + tagBytes));
    return Buffer.concat([decipher.update(raw.subarray(nonceBytes + tagBytes)), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    throw new DecryptError('authentication failed (another key, or a value of another row or field)');
  }
}

/** An AES-256-GCM cipher whose key is derived from `keyMaterial` (config or wp-config.php salts). */
export function createCipher(keyMaterial: string): Cipher {
  const key = deriveKey(keyMaterial);
  return {
    encrypt(plain, context) {
      if (context === undefined) throw new Error('a stored value must be bound to its context');
      const iv = randomBytes(nonceBytes);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `v2:${Buffer.concat([iv, cipher.getAuthTag(), data]).toString('base64')}`;
    },
    decrypt(stored, context) {
      if (context === undefined) throw new Error('a stored value must be opened with its context');
      if (!stored.startsWith('v2:'))
        throw new DecryptError(stored.startsWith('v1:') ? 'not bound to its row (v1)' : 'unknown encoding');
      return open(key, Buffer.from(stored.slice(3), 'base64'), Buffer.from(context, 'utf8'));
    },
  };
}

/**
 * Opens `v1:` values (written before values were bound to their row: no associated data), for their one-time
 * upgrade at start only; nothing else accepts them, so a copied v1 value cannot be replayed into a row.
 */
export function createLegacyDecipher(keyMaterial: string): (stored: string) => string {
  const key = deriveKey(keyMaterial);
  return (stored) => {
    if (!stored.startsWith('v1:')) throw new DecryptError('not a v1 value');
    return open(key, Buffer.from(stored.slice(3), 'base64'), undefined);
  };
}

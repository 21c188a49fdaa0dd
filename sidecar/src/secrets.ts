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

export interface Cipher {
  encrypt(plain: string): string;
  decrypt(stored: string): string;
}

/** An AES-256-GCM cipher whose key is derived from `keyMaterial` (config or wp-config.php salts). */
export function createCipher(keyMaterial: string): Cipher {
  const key = createHash('sha256').update(`fcwh-secrets-at-rest:v1:${keyMaterial}`).digest();
  return {
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `v1:${Buffer.concat([iv, cipher.getAuthTag(), data]).toString('base64')}`;
    },
    decrypt(stored) {
      if (!stored.startsWith('v1:')) throw new Error('unknown secret encoding');
      const raw = Buffer.from(stored.slice(3), 'base64');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

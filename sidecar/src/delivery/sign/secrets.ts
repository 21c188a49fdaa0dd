/** A webhook's signing secrets as the sign stage needs them: decrypted once, the previous one while it lasts. */
import { fromDbTime } from '../../../../shared/datetime.ts';
import type { Cipher } from '../../secrets.ts';

/** The stored columns that hold a webhook's secrets (a webhook row, or a claimed delivery's). */
export interface StoredSecrets {
  secret_enc: string;
  previous_secret_enc: string | null;
  previous_secret_expires_at: string | null;
}

/** The secrets that sign now: the current one, plus the previous one while its overlap window lasts. */
export function signingSecrets(
  row: StoredSecrets,
  cipher: Cipher,
  now: Date,
): { secret: string; previous: string | null } {
  const secret = cipher.decrypt(row.secret_enc);
  const expires = row.previous_secret_expires_at ? fromDbTime(row.previous_secret_expires_at).getTime() : 0;
  const previous =
    row.previous_secret_enc && expires > now.getTime() ? cipher.decrypt(row.previous_secret_enc) : null;
  return { secret, previous };
}

/**
 * A cipher that decrypts each stored value once (webhook secrets and custom headers are the same for every delivery
 * of a webhook, and AES-GCM per delivery is a measurable share of the CPU at full rate). Bounded: cleared at `max`.
 */
export function memoDecrypt(cipher: Cipher, max = 1000): Cipher {
  const plain = new Map<string, string>();
  return {
    encrypt: (value) => cipher.encrypt(value),
    decrypt(stored) {
      let value = plain.get(stored);
      if (value === undefined) {
        if (plain.size >= max) plain.clear();
        value = cipher.decrypt(stored);
        plain.set(stored, value);
      }
      return value;
    },
  };
}

/** Where the key for secrets at rest comes from, and the key material the sidecar refuses to use. */
import { ConfigError } from './config-values.ts';
import { secretProblem } from '../../shared/shared-secret.ts';
import { saltNames, type WpConfigValues } from './wp-config.ts';

/** wp-config-sample.php's text for every key and salt: a key derived from it is public. */
export const saltPlaceholder = 'put your unique phrase here';
/** The shortest salt accepted (WordPress's generator writes 64 characters). */
export const minSaltLength = 32;

const advice = 'set FCWH_ENCRYPTION_KEY (`openssl rand -base64 48`), keep a copy with your backups';

/**
 * The key material for secrets at rest: FCWH_ENCRYPTION_KEY, else wp-config.php's eight keys and salts. Throws a
 * ConfigError when the only material there is would be public or known to others: placeholder, empty, short or
 * repeated salts; salts set with getenv() or expressions (the sidecar cannot evaluate them); no wp-config.php; or
 * a key equal to the shared secret, which travels in every request between plugin and sidecar.
 */
export function encryptionKeyMaterial(
  fromEnv: string | undefined,
  wp: WpConfigValues | undefined,
  wpConfigPath: string | undefined,
  sharedSecret: string | undefined,
): string {
  if (fromEnv !== undefined) {
    const problem = secretProblem(fromEnv);
    if (problem) throw new ConfigError(`FCWH_ENCRYPTION_KEY: ${problem}`);
    if (fromEnv === sharedSecret)
      throw new ConfigError(
        'FCWH_ENCRYPTION_KEY: equals the shared secret, which the plugin sends on every request; use its own value',
      );
    return fromEnv;
  }
  if (!wp)
    throw new ConfigError(
      `FCWH_ENCRYPTION_KEY: not set, and no wp-config.php to take keys and salts from; ${advice}`,
    );
  const unusable = saltProblems(wp);
  if (unusable.length)
    throw new ConfigError(
      `FCWH_ENCRYPTION_KEY: not set, and the keys and salts in ${wpConfigPath} cannot make a private key (${unusable.join('; ')}); ${advice}`,
    );
  // In the file's order, as earlier versions joined them, so that stored secrets stay readable.
  return Object.values(wp.salts).join('');
}

/** Why wp-config.php's salts cannot derive a key, one entry per reason (empty when they can). */
function saltProblems(wp: WpConfigValues): string[] {
  const names = [...saltNames];
  const byReason = new Map<string, string[]>();
  const add = (reason: string, name: string) => byReason.set(reason, [...(byReason.get(reason) ?? []), name]);
  for (const name of names) {
    const value = wp.salts[name];
    if (wp.computed.includes(name)) add('set with getenv() or an expression, which is not read', name);
    else if (wp.ambiguous.includes(name)) add('set more than once with different values', name);
    else if (value === undefined) add('missing', name);
    else if (value.trim() === '') add('empty', name);
    else if (value.trim().toLowerCase() === saltPlaceholder) add(`"${saltPlaceholder}"`, name);
    else if (value.length < minSaltLength) add(`shorter than ${minSaltLength} characters`, name);
  }
  const literal = names.map((name) => wp.salts[name]).filter((v): v is string => v !== undefined);
  if (byReason.size === 0 && new Set(literal).size < names.length)
    byReason.set('the same value used twice', []);
  return [...byReason].map(([reason, which]) => (which.length ? `${which.join(', ')}: ${reason}` : reason));
}

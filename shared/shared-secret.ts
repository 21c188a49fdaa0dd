/**
 * The rule a shared secret between the plugin and the sidecar must pass. Its figures and character class reach PHP
 * by generation (contracts.php `shared_secret`, read by SidecarEndpoint::secret_problem()); both sides are checked
 * against the same vectors (test/ops/site-health.test.ts, test/ops/config.test.ts).
 */

/** The shortest shared secret accepted, in bytes. */
export const minSecretBytes = 32;
/**
 * The fewest different bytes a shared secret may contain. 10, not 16: a random 64-character hex secret
 * (`openssl rand -hex 32`) lacks one of its 16 digits about one time in four, and must pass.
 */
export const minSecretDistinctBytes = 10;
/** The bytes a shared secret may hold: printable ASCII without space (it travels in an Authorization header). */
export const secretByteRange = [0x21, 0x7e] as const;

/** The rule's figures, as PHP gets them: the same checks, in the same order, with these values. */
export const sharedSecretRule = {
  min_bytes: minSecretBytes,
  min_distinct_bytes: minSecretDistinctBytes,
  /** A PCRE pattern matching a secret made only of allowed bytes. */
  allowed_pattern: `/^[\\x${secretByteRange[0].toString(16)}-\\x${secretByteRange[1].toString(16)}]+$/D`,
} as const;

/**
 * Why a shared secret is unusable, or undefined when it is acceptable: at least 32 printable ASCII characters
 * without spaces, at least 10 of them different, and not one chunk repeated.
 */
export function secretProblem(secret: string): string | undefined {
  const bytes = Buffer.from(secret, 'utf8');
  const advice = 'generate one with `openssl rand -base64 48`';
  if (bytes.length === 0) return `is empty; ${advice}`;
  if (bytes.length < minSecretBytes)
    return `is ${bytes.length} bytes long, at least ${minSecretBytes} are needed; ${advice}`;
  // It travels in an Authorization header: spaces at either end would be trimmed, other bytes mangled.
  if (!bytes.every((byte) => byte >= secretByteRange[0] && byte <= secretByteRange[1]))
    return `contains spaces, control or non-ASCII characters (only printable ASCII is allowed); ${advice}`;
  const distinct = new Set(bytes).size;
  if (distinct < minSecretDistinctBytes)
    return `has only ${distinct} different characters, at least ${minSecretDistinctBytes} are needed; ${advice}`;
  for (let period = 1; period <= bytes.length / 2; period++) {
    if (bytes.length % period === 0 && bytes.every((byte, i) => byte === bytes[i % period]))
      return `is one ${period}-character chunk repeated; ${advice}`;
  }
  return undefined;
}

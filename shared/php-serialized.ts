/**
 * Reads a PHP-serialized array (Fluent Community's `meta` columns) into plain JSON values, never executing anything.
 *
 * Parsing is php-serialize's (byte-exact string lengths, no dependencies). Around it: no class is ever given to it
 * and strict mode is on, so `O:` and `C:` (objects) make it throw instead of building or calling anything; every
 * failure becomes `{}`; and its output is copied into fresh plain objects, which drops `__proto__` keys (the
 * library assigns them, changing the result's prototype) and turns its BigInts into JSON-safe numbers or strings.
 */
import { unserialize } from 'php-serialize';

/** Longer input is not decoded: a profile's meta is a few kilobytes. */
const maxBytes = 256 * 1024;
const maxDepth = 16;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The array `input` serializes, as a JSON object; `{}` for anything else (a list, a scalar, an object, junk). */
export function decodePhpArray(input: string | Uint8Array): { [key: string]: Json } {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : Buffer.from(input);
  if (bytes.length > maxBytes || bytes.subarray(0, 2).toString() !== 'a:') return {};
  let decoded: unknown;
  try {
    decoded = unserialize(bytes, Object.create(null) as Record<string, never>, { strict: true });
  } catch {
    return {};
  }
  const plain = toJson(decoded, 0);
  return typeof plain === 'object' && plain !== null && !Array.isArray(plain) ? plain : {};
}

function toJson(value: unknown, depth: number): Json | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') {
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  }
  if (typeof value !== 'object' || depth >= maxDepth) return undefined;
  if (Array.isArray(value)) {
    return value.map((item) => toJson(item, depth + 1) ?? null);
  }
  const out: { [key: string]: Json } = {};
  for (const [key, item] of Object.entries(value)) {
    const json = toJson(item, depth + 1);
    if (key !== '__proto__' && json !== undefined) out[key] = json;
  }
  return out;
}

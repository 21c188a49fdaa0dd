/** Reads database settings and the table prefix out of a WordPress wp-config.php, as data (PHP is never run). */

export interface WpConfigValues {
  DB_NAME?: string;
  DB_USER?: string;
  DB_PASSWORD?: string;
  DB_HOST?: string;
  table_prefix?: string;
  /** Secret keys and salts set with literals, by name, used to derive the at-rest key when none is configured. */
  salts: Record<string, string>;
  /** Names of interest set with something other than a literal (`getenv()`, a constant, an expression). */
  computed: string[];
  FCWH_SIDECAR_SECRET?: string;
  /** Names set more than once with different values (e.g. in if/else branches): which one PHP uses is unknowable. */
  ambiguous: string[];
}

/** Strips PHP comments so commented-out defines are ignored. Strings are kept (a `#` may sit in a password). */
function stripComments(source: string): string {
  return source.replace(
    /('(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*")|\/\*[\s\S]*?\*\/|(?:\/\/|#)[^\n]*/g,
    (m, str) => str ?? '',
  );
}

/** The value of a PHP string literal, undoing its escapes. */
function phpString(literal: string): string {
  const quote = literal[0];
  const body = literal.slice(1, -1);
  if (quote === "'") return body.replace(/\\([\\'])/g, '$1');
  return body.replace(/\\([\\"$nrt])/g, (_m, c: string) => ({ n: '\n', r: '\r', t: '\t' })[c] ?? c);
}

const str = `('(?:\\\\.|[^'\\\\])*'|"(?:\\\\.|[^"\\\\])*")`;
const defineRe = new RegExp(
  `define\\s*\\(\\s*${str}\\s*,\\s*${str}\\s*(?:,\\s*(?:true|false)\\s*)?\\)`,
  'gi',
);
/** A define whose second argument does not start with a literal that closes the call. */
const computedDefineRe = new RegExp(
  `define\\s*\\(\\s*${str}\\s*,(?!\\s*${str}\\s*(?:,\\s*(?:true|false)\\s*)?\\))`,
  'gi',
);
const prefixRe = new RegExp(`\\$table_prefix\\s*=\\s*${str}\\s*;`, 'g');
/** WordPress's eight secret keys and salts. */
export const saltNames = new Set([
  'AUTH_KEY',
  'SECURE_AUTH_KEY',
  'LOGGED_IN_KEY',
  'NONCE_KEY',
  'AUTH_SALT',
  'SECURE_AUTH_SALT',
  'LOGGED_IN_SALT',
  'NONCE_SALT',
]);
const wanted = new Set(['DB_NAME', 'DB_USER', 'DB_PASSWORD', 'DB_HOST', 'FCWH_SIDECAR_SECRET']);

/**
 * Parses the `define('NAME', 'value')` lines and `$table_prefix` that a wp-config.php sets with literals. A name
 * set twice to different values is listed in `ambiguous` (the first value is kept).
 */
export function parseWpConfig(source: string): WpConfigValues {
  const code = stripComments(source);
  const values: WpConfigValues = { salts: {}, computed: [], ambiguous: [] };
  const found = values as unknown as Record<string, string>;
  const keep = (name: string, value: string) => {
    if (found[name] === undefined) found[name] = value;
    else if (found[name] !== value && !values.ambiguous.includes(name)) values.ambiguous.push(name);
  };
  for (const match of code.matchAll(defineRe)) {
    const name = phpString(match[1]!);
    const value = phpString(match[2]!);
    if (wanted.has(name)) keep(name, value);
    if (saltNames.has(name)) {
      if (values.salts[name] === undefined) values.salts[name] = value;
      else if (values.salts[name] !== value && !values.ambiguous.includes(name)) values.ambiguous.push(name);
    }
  }
  // A define of a salt whose value is not one literal (getenv(), another constant, a concatenation): PHP alone
  // knows it, and a key derived without it would not be the one the operator thinks protects the secrets.
  for (const match of code.matchAll(computedDefineRe)) {
    const name = phpString(match[1]!);
    if ((saltNames.has(name) || wanted.has(name)) && !values.computed.includes(name))
      values.computed.push(name);
  }
  for (const match of code.matchAll(prefixRe)) keep('table_prefix', phpString(match[1]!));
  return values;
}

export interface DbAddress {
  host: string;
  port?: number;
  socketPath?: string;
}

/** Splits WordPress's DB_HOST forms: `host`, `host:port`, `host:/path/to.sock`, `[::1]:3306`. */
export function parseDbHost(dbHost: string): DbAddress {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(dbHost);
  if (v6) return { host: v6[1]!, ...(v6[2] ? { port: Number(v6[2]) } : {}) };
  const colon = dbHost.indexOf(':');
  if (colon === -1) return { host: dbHost };
  const host = dbHost.slice(0, colon) || 'localhost';
  const rest = dbHost.slice(colon + 1);
  if (/^\d+$/.test(rest)) return { host, port: Number(rest) };
  return { host, socketPath: rest };
}

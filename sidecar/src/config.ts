/** The sidecar's configuration: parsed once at start-up from the environment (and wp-config.php), then frozen. */
import { parseArgs } from 'node:util';
import { envSchema } from './config-env.ts';
import {
  allowTargets,
  collect,
  ConfigError,
  dbAddress,
  parsePortRanges,
  readFile,
  readWpConfig,
  sharedSecret,
} from './config-values.ts';
import { encryptionKeyMaterial } from './encryption-key.ts';
import { parseWpConfig, type DbAddress, type WpConfigValues } from './wp-config.ts';

export { ConfigError } from './config-values.ts';

export interface Config {
  readonly secret: string;
  readonly listen: { readonly host: string; readonly port: number };
  readonly db: DbAddress & { readonly database: string; readonly user: string; readonly password: string };
  readonly dbPoolSize: number;
  readonly tablePrefix: string;
  /**
   * Prefix of WordPress's users tables: wp-config.php's `$table_prefix` when it is read, else `tablePrefix`. They
   * differ on a multisite network whose served site is a subsite (`wp_2_` and `wp_`, see FCWH_SITE_ID).
   */
  readonly usersTablePrefix: string;
  /** Key material for secrets at rest (hashed into an AES-256 key): FCWH_ENCRYPTION_KEY or wp-config.php's salts. */
  readonly encryptionKey: string;
  /** Exact `host:port` entries and CIDR ranges exempt from the private-address block. */
  readonly allowTargets: readonly string[];
  /** Inclusive port ranges webhooks may target. */
  readonly allowedPorts: readonly (readonly [number, number])[];
  readonly caPem?: string;
  /** Delays before retry n (seconds). */
  readonly retrySchedule: readonly number[];
  readonly requestTimeoutMs: number;
  readonly maxBodyBytes: number;
  readonly logLevel: string;
  readonly workerEnabled: boolean;
  readonly concurrency: number;
  readonly perWebhookConcurrency: number;
  readonly leaseSeconds: number;
  /** On SIGTERM, how long attempts under way may finish before they are given back, in milliseconds. */
  readonly shutdownGraceMs: number;
  readonly rotationOverlapSeconds: number;
  /** Delivered and failed deliveries (with attempts and events) older than this are pruned. */
  readonly retentionDays: number;
  /** A webhook failing without a single success for this long is disabled. */
  readonly disableAfterSeconds: number;
  /** The WordPress site, for telling it a webhook was disabled (its REST root is under /wp-json/). */
  readonly siteUrl?: string;
}

/** Every environment variable the sidecar reads (docs and the deploy env file are checked against it). */
export const envVariables = Object.keys(envSchema.shape) as readonly string[];

/** Command-line flags as the environment variables they set: `--wp-config PATH` → FCWH_WP_CONFIG. */
export function argsToEnv(argv: readonly string[]): Record<string, string> {
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: { 'wp-config': { type: 'string' } },
      strict: true,
      allowPositionals: false,
    });
    return values['wp-config'] === undefined ? {} : { FCWH_WP_CONFIG: values['wp-config'] };
  } catch (error) {
    throw new ConfigError(`command line: ${(error as Error).message} (the only flag is --wp-config PATH)`);
  }
}

/** Builds the configuration or throws ConfigError listing every problem. An empty FCWH_* variable counts as unset. */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const set = Object.entries(env).filter(([name, value]) => !name.startsWith('FCWH_') || value !== '');
  const parsed = envSchema.safeParse(Object.fromEntries(set));
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
  }
  const e = parsed.data;
  const wp = e.FCWH_WP_CONFIG ? parseWpConfig(readWpConfig(e.FCWH_WP_CONFIG)) : undefined;
  const problems: string[] = [];
  /** The environment's value, else wp-config.php's (`key`), else a problem. */
  const pick = (variable: string, key: keyof WpConfigValues, fallback?: string): string => {
    const fromEnv = (e as Record<string, unknown>)[variable] as string | undefined;
    if (fromEnv !== undefined) return fromEnv;
    if (wp?.ambiguous.includes(key))
      problems.push(
        `${variable}: ${key} is set more than once with different values in ${e.FCWH_WP_CONFIG} (conditional code?); set ${variable}`,
      );
    else if (wp?.[key] !== undefined) return wp[key] as string;
    else if (fallback !== undefined) return fallback;
    else
      problems.push(
        wp
          ? `${variable}: not set, and ${e.FCWH_WP_CONFIG} has no literal ${key === 'table_prefix' ? '$table_prefix' : `define('${key}', '...')`} (values from getenv() or expressions are not read); set ${variable}`
          : `${variable}: not set (set it, or point --wp-config / FCWH_WP_CONFIG at the site's wp-config.php)`,
      );
    return '';
  };
  const dbHost = pick('FCWH_DB_HOST', 'DB_HOST');
  const database = pick('FCWH_DB_NAME', 'DB_NAME');
  const user = pick('FCWH_DB_USER', 'DB_USER');
  const password = pick('FCWH_DB_PASSWORD', 'DB_PASSWORD', '');
  const tablePrefix = pick('FCWH_TABLE_PREFIX', 'table_prefix', 'wp_');
  if (!problems.some((p) => p.startsWith('FCWH_TABLE_PREFIX')) && !/^[A-Za-z0-9_]{1,32}$/.test(tablePrefix))
    problems.push(
      `FCWH_TABLE_PREFIX: table prefix "${tablePrefix}" is not valid (1 to 32 letters, digits and underscores)`,
    );
  const secret = collect(problems, () =>
    sharedSecret(e.FCWH_SECRET, wp?.FCWH_SIDECAR_SECRET, e.FCWH_WP_CONFIG),
  );
  const encryptionKey = collect(problems, () =>
    encryptionKeyMaterial(e.FCWH_ENCRYPTION_KEY, wp, e.FCWH_WP_CONFIG, secret),
  );
  const allowed = collect(problems, () => allowTargets(e.FCWH_ALLOW_TARGETS));
  const ports = collect(problems, () => parsePortRanges(e.FCWH_ALLOWED_PORTS));
  const caPem = e.FCWH_CA_FILE
    ? collect(problems, () => readFile(e.FCWH_CA_FILE!, 'FCWH_CA_FILE'))
    : undefined;
  if (problems.length) throw new ConfigError(problems.join('\n'));
  return Object.freeze({
    secret: secret!,
    listen: { host: e.FCWH_LISTEN_HOST, port: e.FCWH_PORT },
    db: { ...dbAddress(dbHost, e.FCWH_DB_SOCKET), database, user, password },
    dbPoolSize: e.FCWH_DB_POOL,
    tablePrefix,
    usersTablePrefix:
      wp?.table_prefix !== undefined && /^[A-Za-z0-9_]{1,32}$/.test(wp.table_prefix)
        ? wp.table_prefix
        : tablePrefix,
    encryptionKey: encryptionKey!,
    allowTargets: allowed!,
    allowedPorts: ports!,
    ...(caPem !== undefined ? { caPem } : {}),
    retrySchedule: e.FCWH_RETRY_SCHEDULE,
    requestTimeoutMs: e.FCWH_REQUEST_TIMEOUT_MS,
    maxBodyBytes: e.FCWH_MAX_BODY_BYTES,
    logLevel: e.FCWH_LOG_LEVEL,
    workerEnabled: e.FCWH_WORKER === 'on',
    concurrency: e.FCWH_CONCURRENCY,
    perWebhookConcurrency: e.FCWH_PER_WEBHOOK_CONCURRENCY,
    leaseSeconds: e.FCWH_LEASE_SECONDS,
    shutdownGraceMs: e.FCWH_SHUTDOWN_GRACE_MS ?? e.FCWH_REQUEST_TIMEOUT_MS + 2000,
    rotationOverlapSeconds: e.FCWH_ROTATION_OVERLAP_SECONDS,
    retentionDays: e.FCWH_RETENTION_DAYS,
    disableAfterSeconds: e.FCWH_DISABLE_AFTER_SECONDS,
    ...(e.FCWH_SITE_URL ? { siteUrl: e.FCWH_SITE_URL } : {}),
  });
}

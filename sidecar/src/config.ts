/** The sidecar's configuration: parsed once at start-up from the environment (and wp-config.php), then frozen. */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseDbHost, parseWpConfig, type DbAddress } from './wp-config.ts';

const seconds = z
  .string()
  .regex(/^\s*\d+(\.\d+)?(\s*,\s*\d+(\.\d+)?)*\s*$/, 'a comma-separated list of seconds')
  .transform((s) => s.split(',').map((v) => Number(v.trim())));

const envSchema = z.object({
  FCWH_SECRET: z.string().min(32, 'must be at least 32 characters (use `openssl rand -base64 48`)'),
  FCWH_LISTEN_HOST: z.string().default('127.0.0.1'),
  FCWH_PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  FCWH_WP_CONFIG: z.string().optional(),
  FCWH_DB_HOST: z.string().optional(),
  FCWH_DB_NAME: z.string().optional(),
  FCWH_DB_USER: z.string().optional(),
  FCWH_DB_PASSWORD: z.string().optional(),
  FCWH_TABLE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_]{1,32}$/, 'letters, digits and underscores')
    .optional(),
  FCWH_DB_POOL: z.coerce.number().int().min(2).max(64).default(8),
  FCWH_ENCRYPTION_KEY: z.string().min(32).optional(),
  FCWH_ALLOW_TARGETS: z.string().default(''),
  FCWH_ALLOWED_PORTS: z.string().default('443,1024-65535'),
  FCWH_CA_FILE: z.string().optional(),
  FCWH_RETRY_SCHEDULE: seconds.default([5, 60, 300, 1800, 7200, 18000, 36000, 36000, 36000, 36000]),
  FCWH_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(60000).default(10000),
  FCWH_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(256 * 1024),
  FCWH_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  FCWH_WORKER: z.enum(['on', 'off']).default('on'),
  FCWH_CONCURRENCY: z.coerce.number().int().min(1).max(1024).default(64),
  FCWH_PER_WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  FCWH_LEASE_SECONDS: z.coerce.number().min(1).max(3600).default(60),
  FCWH_ROTATION_OVERLAP_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .default(24 * 3600),
  FCWH_RETENTION_DAYS: z.coerce.number().min(0.0001).default(30),
  FCWH_DISABLE_AFTER_SECONDS: z.coerce
    .number()
    .min(1)
    .default(5 * 24 * 3600),
  FCWH_SITE_URL: z.url().optional(),
});

export interface Config {
  readonly secret: string;
  readonly listen: { readonly host: string; readonly port: number };
  readonly db: DbAddress & { readonly database: string; readonly user: string; readonly password: string };
  readonly dbPoolSize: number;
  readonly tablePrefix: string;
  /** Key material for secrets at rest (hashed into an AES-256 key). */
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
  readonly rotationOverlapSeconds: number;
  /** Delivered and failed deliveries (with attempts and events) older than this are pruned. */
  readonly retentionDays: number;
  /** A webhook failing without a single success for this long is disabled. */
  readonly disableAfterSeconds: number;
  /** The WordPress site, for telling it a webhook was disabled (its REST root is under /wp-json/). */
  readonly siteUrl?: string;
}

export class ConfigError extends Error {}

/** Builds the configuration or throws ConfigError listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n'));
  }
  const e = parsed.data;
  const wp = e.FCWH_WP_CONFIG ? parseWpConfig(readWpConfig(e.FCWH_WP_CONFIG)) : { salts: [] as string[] };
  const pick = (envValue: string | undefined, wpValue: string | undefined, what: string): string => {
    const value = envValue ?? wpValue;
    if (value === undefined)
      throw new ConfigError(`${what}: not set (set it or point FCWH_WP_CONFIG at wp-config.php)`);
    return value;
  };
  const tablePrefix = e.FCWH_TABLE_PREFIX ?? ('table_prefix' in wp ? wp.table_prefix : undefined) ?? 'wp_';
  if (!/^[A-Za-z0-9_]{1,32}$/.test(tablePrefix))
    throw new ConfigError(`table prefix "${tablePrefix}" is not valid`);
  const dbHost = pick(e.FCWH_DB_HOST, (wp as { DB_HOST?: string }).DB_HOST, 'FCWH_DB_HOST');
  return Object.freeze({
    secret: e.FCWH_SECRET,
    listen: { host: e.FCWH_LISTEN_HOST, port: e.FCWH_PORT },
    db: {
      ...parseDbHost(dbHost),
      database: pick(e.FCWH_DB_NAME, (wp as { DB_NAME?: string }).DB_NAME, 'FCWH_DB_NAME'),
      user: pick(e.FCWH_DB_USER, (wp as { DB_USER?: string }).DB_USER, 'FCWH_DB_USER'),
      password: e.FCWH_DB_PASSWORD ?? (wp as { DB_PASSWORD?: string }).DB_PASSWORD ?? '',
    },
    dbPoolSize: e.FCWH_DB_POOL,
    tablePrefix,
    encryptionKey: e.FCWH_ENCRYPTION_KEY ?? (wp.salts.length > 0 ? wp.salts.join('') : e.FCWH_SECRET),
    allowTargets: e.FCWH_ALLOW_TARGETS.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    allowedPorts: parsePortRanges(e.FCWH_ALLOWED_PORTS),
    ...(e.FCWH_CA_FILE ? { caPem: readFileSync(e.FCWH_CA_FILE, 'utf8') } : {}),
    retrySchedule: e.FCWH_RETRY_SCHEDULE,
    requestTimeoutMs: e.FCWH_REQUEST_TIMEOUT_MS,
    maxBodyBytes: e.FCWH_MAX_BODY_BYTES,
    logLevel: e.FCWH_LOG_LEVEL,
    workerEnabled: e.FCWH_WORKER === 'on',
    concurrency: e.FCWH_CONCURRENCY,
    perWebhookConcurrency: e.FCWH_PER_WEBHOOK_CONCURRENCY,
    leaseSeconds: e.FCWH_LEASE_SECONDS,
    rotationOverlapSeconds: e.FCWH_ROTATION_OVERLAP_SECONDS,
    retentionDays: e.FCWH_RETENTION_DAYS,
    disableAfterSeconds: e.FCWH_DISABLE_AFTER_SECONDS,
    ...(e.FCWH_SITE_URL ? { siteUrl: e.FCWH_SITE_URL } : {}),
  });
}

function readWpConfig(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`FCWH_WP_CONFIG: cannot read ${path}: ${(error as Error).message}`);
  }
}

/** `443,1024-65535` → [[443, 443], [1024, 65535]]. */
function parsePortRanges(spec: string): [number, number][] {
  return spec
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [lo, hi = lo] = part.split('-').map((n) => Number(n.trim()));
      if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo! < 1 || hi! > 65535 || lo! > hi!) {
        throw new ConfigError(`FCWH_ALLOWED_PORTS: "${part}" is not a port or a range like 1024-65535`);
      }
      return [lo!, hi!] as [number, number];
    });
}

/** The environment variables the sidecar reads: names, types and defaults (zod), parsed once by config.ts. */
import { z } from 'zod';
import { isLoopbackHost } from './site-signature.ts';

const seconds = z
  .string()
  .regex(/^\s*\d+(\.\d+)?(\s*,\s*\d+(\.\d+)?)*\s*$/, 'a comma-separated list of seconds')
  .transform((s) => s.split(',').map((v) => Number(v.trim())));

export const envSchema = z.object({
  FCWH_SECRET: z.string().optional(),
  FCWH_LISTEN_HOST: z.string().default('127.0.0.1'),
  FCWH_PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  FCWH_WP_CONFIG: z.string().optional(),
  FCWH_DB_HOST: z.string().optional(),
  FCWH_DB_SOCKET: z.string().default('/run/mysqld/mysqld.sock'),
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
  FCWH_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).optional(),
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
  // The webhook-disabled notice and deliveries to the site carry signatures: never over plain HTTP off the host.
  FCWH_SITE_URL: z
    .url()
    .refine((value) => {
      const url = new URL(value);
      return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
    }, 'an https:// URL, or http:// only to a loopback host (127.0.0.1, ::1, localhost)')
    .optional(),
});

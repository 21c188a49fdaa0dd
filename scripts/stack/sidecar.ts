/**
 * The sidecar as a child process, configured per the contracts doc: the esbuild bundle the service runs
 * (`node --max-old-space-size=64 dist/sidecar.mjs`, built at first use) for the demo and the bench, the TypeScript
 * source under tsx for tests (what they also import in-process; nothing to rebuild after an edit).
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { buildSidecar, distDir } from '../build-sidecar.ts';
import type { DbCredentials } from './mariadb.ts';
import { freePort } from './ports.ts';
import { spawnLogged, tailFile, type ExitInfo, type ManagedProcess } from './process.ts';
import { httpStatus, waitFor } from './wait.ts';

/** The repository root: the sidecar's working directory. */
export const repoRoot = path.resolve(import.meta.dirname, '../..');

export interface SidecarOptions {
  /** FCWH_SECRET, at least 32 characters. */
  secret: string;
  /** FCWH_PORT; omitted = a free one. */
  port?: number;
  /** FCWH_LISTEN_HOST, a loopback address (default 127.0.0.1). */
  host?: string;
  /** FCWH_WP_CONFIG: the site's wp-config.php (DB credentials and table prefix are read from it). */
  wpConfig?: string;
  /** FCWH_DB_HOST/NAME/USER/PASSWORD (+ FCWH_TABLE_PREFIX), overriding wp-config.php. */
  db?: DbCredentials & { table_prefix?: string };
  /** FCWH_ALLOW_TARGETS entries (`host:port` or CIDR). */
  allowTargets?: readonly string[];
  /** FCWH_CA_FILE: extra CA (PEM file) trusted for outbound HTTPS. */
  caFile?: string;
  /** FCWH_RETRY_SCHEDULE, delays in seconds. */
  retrySchedule?: readonly number[];
  /** FCWH_LOG_LEVEL (default `info`). */
  logLevel?: string;
  /** FCWH_SITE_URL: the WordPress site, told when a webhook is disabled automatically. */
  siteUrl?: string;
  /** Any further environment (wins over the above). */
  env?: Record<string, string>;
  /** stdout+stderr are appended here. */
  logFile: string;
  /** Script to run under tsx instead of the sidecar (tests of this module use a fake). */
  entry?: string;
  /** `bundle`: dist/sidecar.mjs, built once per process; `source`: sidecar/src/main.ts under tsx. Default:
   *  `source` under vitest, else `bundle`. */
  run?: 'bundle' | 'source';
  /** V8's old-space cap in MB (default `sidecarHeapMb`, as the systemd unit); a --max-old-space-size in
   *  `env.NODE_OPTIONS` replaces it (the command line would win over NODE_OPTIONS). */
  heapMb?: number;
  /** Where `bundle` is built (default dist/); it must be inside the repository, so node_modules resolves. */
  bundleDir?: string;
  /** Keep running after this process exits (demo `up`). */
  background?: boolean;
  /** Give up waiting for /healthz after this many milliseconds (default 30 000). */
  timeoutMs?: number;
}

export interface Sidecar {
  /** `http://<host>:<port>` */
  readonly url: string;
  readonly port: number;
  readonly secret: string;
  readonly logFile: string;
  /** The file node runs (dist/sidecar.mjs, sidecar/src/main.ts or `entry`): what its command line shows. */
  readonly script: string;
  /** The current child (a new one after `restart()`). */
  readonly process: ManagedProcess;
  /** `Authorization` header value for the sidecar's own routes. */
  readonly authorization: string;
  /** Sends `signal` (default SIGTERM), SIGKILL after `timeoutMs` (default 10 000); resolves with the exit. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<ExitInfo>;
  /** SIGKILL at once: a crash, for recovery tests. */
  kill9(): Promise<ExitInfo>;
  /** Stops (unless stopped) and starts again on the same port with the same environment. */
  restart(signal?: NodeJS.Signals): Promise<void>;
}

/** The child environment for `options`. */
export function sidecarEnv(options: SidecarOptions, port: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    FCWH_SECRET: options.secret,
    FCWH_LISTEN_HOST: options.host ?? '127.0.0.1',
    FCWH_PORT: String(port),
    FCWH_LOG_LEVEL: options.logLevel ?? 'info',
  };
  if (options.wpConfig) env.FCWH_WP_CONFIG = options.wpConfig;
  // Without wp-config.php's salts the sidecar refuses to start unless it has a key of its own.
  else env.FCWH_ENCRYPTION_KEY = createHash('sha256').update(`stack-key:${options.secret}`).digest('base64');
  if (options.db) {
    env.FCWH_DB_HOST = `${options.db.host}:${options.db.port}`;
    env.FCWH_DB_NAME = options.db.name;
    env.FCWH_DB_USER = options.db.user;
    env.FCWH_DB_PASSWORD = options.db.password;
    if (options.db.table_prefix) env.FCWH_TABLE_PREFIX = options.db.table_prefix;
  }
  if (options.allowTargets?.length) env.FCWH_ALLOW_TARGETS = options.allowTargets.join(',');
  if (options.caFile) env.FCWH_CA_FILE = options.caFile;
  if (options.retrySchedule) env.FCWH_RETRY_SCHEDULE = options.retrySchedule.join(',');
  if (options.siteUrl) env.FCWH_SITE_URL = options.siteUrl;
  return { ...env, ...options.env };
}

/**
 * V8's old-space cap for the sidecar, MB, as deploy/fluent-community-webhooks.service sets it: the heap stays
 * small (V8 otherwise sizes it for the machine's memory and collects late), 48 MB made it collect constantly.
 */
export const sidecarHeapMb = 64;

const bundles = new Map<string, Promise<string>>();

/** Node's arguments for `options`. */
export async function sidecarArgs(options: SidecarOptions, env: NodeJS.ProcessEnv): Promise<string[]> {
  const heap = /--max-old-space-size/.test(env.NODE_OPTIONS ?? '')
    ? []
    : [`--max-old-space-size=${options.heapMb ?? sidecarHeapMb}`];
  if (options.entry) return [...heap, '--import', 'tsx', options.entry];
  if ((options.run ?? (process.env.VITEST ? 'source' : 'bundle')) === 'source')
    return [...heap, '--import', 'tsx', path.join(repoRoot, 'sidecar/src/main.ts')];
  // Built fresh once per process (esbuild takes a fraction of a second), so it is never older than the source.
  const dir = options.bundleDir ?? distDir;
  if (!bundles.has(dir)) bundles.set(dir, buildSidecar(dir));
  return [...heap, await bundles.get(dir)!];
}

/** Spawns the sidecar and resolves once `GET /healthz` answers 200; fails with its log when it exits first. */
export async function startSidecar(options: SidecarOptions): Promise<Sidecar> {
  const port = options.port ?? (await freePort());
  const url = `http://${options.host ?? '127.0.0.1'}:${port}`;
  const env = sidecarEnv(options, port);
  const args = await sidecarArgs(options, env);
  let child = await launch();

  async function launch(): Promise<ManagedProcess> {
    const started = spawnLogged('sidecar', process.execPath, args, {
      cwd: repoRoot,
      env,
      logFile: options.logFile,
      background: options.background,
    });
    try {
      await waitFor(`sidecar at ${url}`, async () => (await httpStatus(`${url}/healthz`)) === 200, {
        timeoutMs: options.timeoutMs ?? 30_000,
        abort: () =>
          started.exitInfo()
            ? `it exited (${JSON.stringify(started.exitInfo())}); log:\n${tailFile(options.logFile)}`
            : undefined,
      });
    } catch (error) {
      await started.stop('SIGKILL');
      throw error;
    }
    return started;
  }

  async function stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 10_000): Promise<ExitInfo> {
    await child.stop(signal, timeoutMs);
    return child.exited;
  }

  return {
    url,
    port,
    secret: options.secret,
    logFile: options.logFile,
    script: args.at(-1)!,
    authorization: `Bearer ${options.secret}`,
    get process() {
      return child;
    },
    stop,
    kill9: () => stop('SIGKILL'),
    async restart(signal = 'SIGTERM') {
      await stop(signal);
      child = await launch();
    },
  };
}

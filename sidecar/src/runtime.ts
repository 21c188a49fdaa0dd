/** Assembles the running sidecar from a configuration: pool, migrations, sender, worker, app and timers. */
import type { Hono } from 'hono';
import { createApp } from './app.ts';
import type { Config } from './config.ts';
import { migrate } from './db/migrate.ts';
import { createPool, createScriptPool, tableNames } from './db/pool.ts';
import { checkServer } from './db/server-check.ts';
import { createSender, type SenderOptions } from './delivery/send/sender.ts';
import { createWorker, type Worker, type WorkerOptions } from './delivery/worker.ts';
import type { Deps } from './deps.ts';
import type { Logger } from './log.ts';
import { pruneAll } from './maintenance.ts';
import { createMetrics } from './metrics.ts';
import { createDisabledNotifier } from './notify.ts';
import { checkSealedWebhooks } from './sealed-upgrade.ts';
import { withLoopGuard } from './site-signature.ts';
import { createCipher } from './secrets.ts';

export interface Runtime {
  deps: Deps;
  worker: Worker;
  app: Hono;
  /** Stops the worker (graceful, `graceMs` default FCWH_SHUTDOWN_GRACE_MS), timers, sender and pool. */
  close(graceMs?: number): Promise<void>;
}

export interface RuntimeOptions {
  startWorker?: boolean;
  worker?: WorkerOptions;
  /** How often retention runs, in milliseconds. */
  pruneEveryMs?: number;
  /** The sender's DNS resolver (default `dns.lookup`), replaceable in tests. */
  lookup?: SenderOptions['lookup'];
}

export async function startRuntime(
  config: Config,
  log: Logger,
  options: RuntimeOptions = {},
): Promise<Runtime> {
  const db = createPool(config);
  const tables = tableNames(config.tablePrefix, config.usersTablePrefix);
  try {
    await checkServer(db);
  } catch (error) {
    await db.end();
    throw error;
  }
  const applied = await migrate(db, tables, config.tablePrefix);
  if (applied.length) log.info({ applied }, 'migrations applied');
  const cipher = createCipher(config.encryptionKey);
  // Before serving: old rows sealed to their row, and webhooks whose values no longer open flagged and turned off.
  await checkSealedWebhooks(db, tables, cipher, config.encryptionKey, log);
  const scriptDb = createScriptPool(config);
  const sender = withLoopGuard(
    createSender({
      policy: config,
      timeoutMs: config.requestTimeoutMs,
      ...(config.caPem ? { caPem: config.caPem } : {}),
      ...(options.lookup ? { lookup: options.lookup } : {}),
      onBlocked: (host, detail) => log.warn({ host, detail }, 'webhook host resolves to a blocked address'),
    }),
    config.secret,
    config.siteUrl,
  );
  let worker: Worker | undefined;
  const deps: Deps = {
    config,
    db,
    scriptDb,
    tables,
    log,
    cipher,
    sender,
    wake: () => worker?.wake(),
    workerRunning: () => worker?.running() ?? false,
    now: () => new Date(),
    metrics: createMetrics(db, tables),
    notifyDisabled: createDisabledNotifier(config.siteUrl, config.secret, log),
  };
  worker = createWorker(deps, options.worker);
  if (options.startWorker ?? config.workerEnabled) worker.start();
  const prune = setInterval(() => {
    pruneAll(db, tables, config.retentionDays).catch((error: unknown) =>
      log.warn({ err: (error as Error).message }, 'pruning failed'),
    );
  }, options.pruneEveryMs ?? 60_000);
  prune.unref();
  return {
    deps,
    worker,
    app: createApp(deps),
    async close(graceMs) {
      clearInterval(prune);
      await worker.stop(graceMs);
      // Attempts given back may still hold sockets open; the agent would wait for them up to the request timeout.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([sender.close(), new Promise((resolve) => (timer = setTimeout(resolve, 1000)))]);
      clearTimeout(timer);
      await Promise.all([db.end(), scriptDb.end()]);
    },
  };
}

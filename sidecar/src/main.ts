/** Entry point: configuration, database, migrations, HTTP server and worker; stops cleanly on SIGTERM/SIGINT. */
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { migrate } from './db/migrate.ts';
import { createPool, tableNames } from './db/pool.ts';
import { createSender } from './delivery/sender.ts';
import type { Deps } from './deps.ts';
import { createWorker, type Worker } from './delivery/worker.ts';
import { createLogger } from './log.ts';
import { createCipher } from './secrets.ts';

function configOrExit(): Config {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`fcwh-sidecar: invalid configuration:\n${error.message}`);
    process.exit(78);
  }
}

async function main(): Promise<void> {
  const config = configOrExit();
  const log = createLogger(config.logLevel);
  const db = createPool(config);
  const tables = tableNames(config.tablePrefix);
  const applied = await migrate(db, tables, config.tablePrefix);
  if (applied.length) log.info({ applied }, 'migrations applied');
  const sender = createSender({
    policy: config,
    timeoutMs: config.requestTimeoutMs,
    ...(config.caPem ? { caPem: config.caPem } : {}),
  });
  let worker: Worker | undefined;
  const deps: Deps = {
    config,
    db,
    tables,
    log,
    cipher: createCipher(config.encryptionKey),
    sender,
    wake: () => worker?.wake(),
    workerRunning: () => worker?.running() ?? false,
    now: () => new Date(),
  };
  worker = createWorker(deps);
  if (config.workerEnabled) worker.start();
  const app = createApp(deps);
  const server = serve({ fetch: app.fetch, hostname: config.listen.host, port: config.listen.port }, (info) =>
    log.info({ host: info.address, port: info.port }, 'listening'),
  );
  const stop = async (signal: string) => {
    log.info({ signal }, 'stopping');
    server.close();
    await worker?.stop();
    await sender.close();
    await db.end();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error('fcwh-sidecar: failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});

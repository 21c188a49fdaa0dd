/**
 * Entry point: configuration (environment, `--wp-config PATH`), then the runtime and its HTTP server; stops
 * gracefully on SIGTERM/SIGINT.
 */
import type { AddressInfo } from 'node:net';
import { argsToEnv, ConfigError, loadConfig, type Config } from './config.ts';
import { UnsuitableServerError } from './db/server-check.ts';
import { createSidecarServer } from './http/server.ts';
import { createLogger } from './log.ts';
import { startRuntime } from './runtime.ts';

function configOrExit(): Config {
  try {
    // A flag wins over its environment variable.
    return loadConfig({ ...process.env, ...argsToEnv(process.argv.slice(2)) });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`fcwh-sidecar: invalid configuration:\n${error.message}`);
    process.exit(78); // EX_CONFIG: systemd's Restart=on-failure should not spin on a bad config
  }
}

async function main(): Promise<void> {
  const config = configOrExit();
  const log = createLogger(config.logLevel);
  const runtime = await startRuntime(config, log);
  const server = createSidecarServer(runtime.deps, runtime.app);
  server.listen(config.listen.port, config.listen.host, () => {
    const info = server.address() as AddressInfo;
    log.info({ host: info.address, port: info.port, owner: runtime.worker.owner }, 'listening');
  });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(
      { signal, graceMs: config.shutdownGraceMs },
      'stopping: no new claims; finishing attempts under way',
    );
    // Bounded even when the database hangs: whatever is still claimed then comes back when its lease runs out.
    setTimeout(() => {
      log.error('stopping took too long; exiting (unfinished claims come back after their lease)');
      process.exit(1);
    }, config.shutdownGraceMs + 10_000).unref();
    server.close();
    try {
      await runtime.close();
    } catch (error) {
      log.error(
        { err: (error as Error).message },
        'stopping failed; unfinished claims come back after their lease',
      );
      process.exit(1);
    }
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof UnsuitableServerError) {
    console.error(`fcwh-sidecar: the database server cannot run the sidecar:\n${error.message}`);
    process.exit(78); // a configuration to change, not a failure a restart would cure
  }
  console.error('fcwh-sidecar: failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});

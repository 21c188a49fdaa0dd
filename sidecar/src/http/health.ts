/** Liveness and readiness. */
import type { Hono } from 'hono';
import { migrationsCurrent } from '../db/migrate.ts';
import { countQuarantine } from '../db/quarantine.ts';
import type { Deps } from '../deps.ts';
import { ApiError } from '../errors.ts';

export function mountHealth(app: Hono, deps: Deps): void {
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/metrics', async (c) => {
    c.header('content-type', deps.metrics.registry.contentType);
    return c.body(await deps.metrics.registry.metrics());
  });
  app.get('/readyz', async (c) => {
    let database = false;
    let migrations = false;
    try {
      await deps.db.query('SELECT 1');
      database = true;
      migrations = await migrationsCurrent(deps.db, deps.tables, deps.config.tablePrefix);
    } catch (error) {
      deps.log.warn({ err: (error as Error).message }, 'readiness check failed');
    }
    const worker = deps.workerRunning();
    const checks = { database, migrations, worker };
    if (!database || !migrations || !worker) throw new ApiError('not_ready', undefined, { checks });
    // Inbox rows set aside (ingest/quarantine.ts): the service works, yet some action calls made no event.
    return c.json({ status: 'ready', checks, quarantined: await countQuarantine(deps.db, deps.tables) });
  });
}

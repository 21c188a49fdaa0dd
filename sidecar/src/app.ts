/** The sidecar's HTTP application: auth, body limit, the route table's handlers, and the one error exit. */
import { Hono } from 'hono';
import { routes, sidecarRoutes, type RouteName } from '../../shared/routes.ts';
import type { Deps } from './deps.ts';
import { ApiError } from './errors.ts';
import { requireSecret } from './http/auth.ts';
import { limitBody } from './http/body-limit.ts';
import { errorExit } from './http/error-exit.ts';
import { deliveryHandlers } from './http/deliveries.ts';
import { mountEvents } from './http/events.ts';
import { mountHealth } from './http/health.ts';
import { quarantineHandlers } from './http/quarantine.ts';
import { previewHandlers } from './http/previews.ts';
import { webhookHandlers, type Handler } from './http/webhooks.ts';

/** Extra handlers mounted by later modules (event ingest, deliveries); route-table handlers must all be given. */
export interface Mounts {
  handlers?: Partial<Record<RouteName, Handler>>;
  extra?: (app: Hono) => void;
}

export function createApp(deps: Deps, mounts: Mounts = {}): Hono {
  const app = new Hono();
  app.use(requireSecret(deps.config.secret, deps.log, [sidecarRoutes.health.path]));
  app.use(limitBody(deps.config.maxBodyBytes));
  mountHealth(app, deps);
  mountEvents(app, deps);
  const handlers: Partial<Record<RouteName, Handler>> = {
    ...webhookHandlers(deps),
    ...deliveryHandlers(deps),
    ...quarantineHandlers(deps),
    ...previewHandlers(deps),
    ...mounts.handlers,
  };
  for (const [name, route] of Object.entries(routes) as [RouteName, (typeof routes)[RouteName]][]) {
    const handler = handlers[name];
    if (!handler) throw new Error(`no handler for route ${name}`);
    app.on(route.method, route.path, handler);
  }
  mounts.extra?.(app);
  app.notFound(() => {
    throw new ApiError('route_not_found');
  });
  app.onError((error, c) => {
    const answer = errorExit(error, deps.log, { method: c.req.method, path: c.req.path });
    return c.json(answer.toBody(), answer.status as 400);
  });
  return app;
}

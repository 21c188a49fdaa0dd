/** What the plugin costs REST requests that are not its own: no walk of the route table, whatever its size. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SiteUserName } from '../../scripts/stack/wordpress.ts';
import { ownNamespace, specNamespace, useE2ESite } from '../helpers/rest.ts';

// The probe counts WP_REST_Server::get_routes() calls per request and can leave the plugin out of one request.
const probe = path.resolve(import.meta.dirname, '../wp-mu-plugins/fcwh-request-probe.php');
const site = useE2ESite({ label: 'e2e_overhead', wordpress: { muPlugins: [probe] } });

interface Count {
  status: number;
  calls: number;
  endpoints: number;
}

async function countRoutes(
  method: string,
  route: string,
  options: { as?: SiteUserName | 'anonymous'; plugin?: 'on' | 'off' } = {},
): Promise<Count> {
  const headers: Record<string, string> = { 'x-fcwh-test-count-routes': '1' };
  if (options.plugin === 'off') headers['x-fcwh-test-plugin'] = 'off';
  if ((options.as ?? 'anonymous') !== 'anonymous')
    headers.authorization = site().wp.basicAuth(options.as as SiteUserName);
  const res = await fetch(`${site().wp.rest_url}${route.replace(/^\//, '')}`, { method, headers });
  await res.text();
  const header = res.headers.get('x-fcwh-test-get-routes') ?? '';
  const match = /^calls=(\d+); endpoints=(\d+)$/.exec(header);
  if (!match)
    throw new Error(`${method} ${route}: no route count in the answer (${res.status}, "${header}")`);
  return { status: res.status, calls: Number(match[1]), endpoints: Number(match[2]) };
}

/** get_routes() calls the plugin adds to one request: with it active, minus without it. */
async function extraCalls(method: string, route: string, as: SiteUserName | 'anonymous') {
  const withPlugin = await countRoutes(method, route, { as });
  const without = await countRoutes(method, route, { as, plugin: 'off' });
  return { extra: withPlugin.calls - without.calls, withPlugin };
}

// Requests that cannot reach the plugin's routes, and requests that can. Those may check collisions, with one
// get_routes() call; those that 404 without the plugin get a second one from core for the matched route's Allow
// header (rest_send_allow_header).
const notOurs = [
  ['GET', '/wp/v2/types/post', 'anonymous'],
  ['GET', `/${specNamespace}/feeds`, 'anonymous'],
  ['POST', `/${specNamespace}/feeds/9/react`, 'member'],
] as const;
const ours = [
  ['GET', `/${specNamespace}/admin/webhooks`, 'admin', 2],
  ['GET', `/${ownNamespace}/admin/webhooks`, 'admin', 2],
  ['GET', `/${specNamespace}`, 'anonymous', 1],
] as const;

async function setRouteCount(count: number) {
  await site().wp.php(`update_option('fcwh_test_fc_routes', ${count});`);
}

describe('the cost of the plugin on REST requests', () => {
  it('adds no get_routes() call to requests that cannot reach its routes, and one collision check to those that can, with 10 or 120 Fluent Community routes', async () => {
    const seen: Record<string, { extra: number; endpoints: number }[]> = {};
    try {
      for (const routeCount of [10, 0]) {
        await setRouteCount(routeCount); // 0: all of the emulator's routes
        for (const [method, route, as] of [...notOurs, ...ours]) {
          const { extra, withPlugin } = await extraCalls(method, route, as);
          (seen[`${method} ${route}`] ??= []).push({ extra, endpoints: withPlugin.endpoints });
        }
      }
    } finally {
      await site().wp.php("delete_option('fcwh_test_fc_routes');");
    }
    for (const [method, route] of notOurs) {
      expect(
        seen[`${method} ${route}`]!.map((s) => s.extra),
        `${method} ${route}`,
      ).toEqual([0, 0]);
    }
    for (const [method, route, , most] of ours) {
      const [few, all] = seen[`${method} ${route}`]!;
      expect(few!.extra, `${method} ${route}`).toBeLessThanOrEqual(most);
      expect(all!.extra, `${method} ${route}`).toBe(few!.extra);
    }
    // The large table really was there: the calls of a portal request handed ~110 more routes to the filter.
    const feeds = seen[`GET /${specNamespace}/feeds`]!;
    expect(feeds[1]!.endpoints - feeds[0]!.endpoints).toBeGreaterThanOrEqual(100);
  });

  it('still answers its routes in the shared namespace, in any case, to OPTIONS, in the namespace index, and to internal requests', async () => {
    const list = await fetch(`${site().wp.rest_url}${specNamespace}/admin/webhooks`, {
      headers: { authorization: site().wp.basicAuth('admin') },
    });
    expect(list.status).toBe(200);
    expect(await list.json()).toHaveProperty('webhooks');

    const index = (await (await fetch(`${site().wp.rest_url}${specNamespace}`)).json()) as {
      routes: Record<string, unknown>;
    };
    expect(Object.keys(index.routes)).toContain(`/${specNamespace}/admin/webhooks`);
    expect(Object.keys(index.routes)).toContain(`/${specNamespace}/feeds`);

    // WordPress matches paths case-insensitively, and answers OPTIONS from the routes before dispatching.
    const upper = await fetch(`${site().wp.rest_url}Fluent-Community/v2/Admin/Webhooks`, {
      headers: { authorization: site().wp.basicAuth('admin') },
    });
    expect(upper.status).toBe(200);
    const options = await fetch(`${site().wp.rest_url}${specNamespace}/admin/webhooks`, {
      method: 'OPTIONS',
      headers: { authorization: site().wp.basicAuth('admin') },
    });
    expect(options.status).toBe(200);
    expect(options.headers.get('allow') ?? '').toMatch(/GET.*POST|POST.*GET/);

    // Outside a REST request (WP-CLI here) the routes are registered on rest_api_init.
    const status = await site().wp.php(
      "wp_set_current_user(1); echo rest_do_request(new WP_REST_Request('GET', '/fluent-community/v2/admin/webhooks'))->get_status();",
    );
    expect(status.trim()).toBe('200');
  });
});

/**
 * A network whose plugin serves a subsite (FCWH_SITE_ID = 2, the sidecar on that site's tables): the main site is
 * then the one that records nothing and refuses management.
 */
import { describe, expect, it } from 'vitest';
import { specNamespace, useE2ESite } from '../helpers/rest.ts';

const site = useE2ESite({
  label: 'e2e_multisite_bound',
  sidecarOptions: { env: { FCWH_TABLE_PREFIX: 'wp_2_' } },
  wordpress: {
    constants: { FCWH_SITE_ID: 2 },
    network: {
      sites: { second: 'Second site' },
      users: { netadmin: ['', 'administrator', true], subadmin: ['second', 'administrator', false] },
    },
  },
});

async function call(slug: string, as: string, method: string, route: string, body?: unknown) {
  const network = site().wp.network!;
  const user = network.users[as]!;
  const res = await fetch(`${network.sites[slug]!.rest_url}${route}`, {
    method,
    headers: {
      authorization: `Basic ${Buffer.from(`${user.user}:${user.app_password}`).toString('base64')}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, text, body: text.startsWith('{') ? JSON.parse(text) : text };
}

describe('a network bound to site 2', () => {
  it("serves site 2's webhooks and events to network administrators, and nothing on the main site", async () => {
    const { receiver } = site();
    const created = await call('second', 'netadmin', 'POST', `${specNamespace}/admin/webhooks`, {
      name: 'Second site',
      url: `${receiver.url}/second`,
      events: ['feed.deleted'],
    });
    expect(created.status, created.text).toBe(201);
    const [rows] = await site().db.pool.query('SELECT COUNT(*) AS n FROM wp_2_fcwh_webhooks');
    expect(Number((rows as { n: number }[])[0]!.n)).toBe(1);

    const onMain = await call('', 'netadmin', 'GET', `${specNamespace}/admin/webhooks`);
    expect(onMain.status).toBe(403);
    expect(onMain.body.message).toContain('site 2');
    expect((await call('second', 'subadmin', 'GET', `${specNamespace}/admin/webhooks`)).status).toBe(403);

    receiver.clear();
    expect(
      (await call('', 'netadmin', 'POST', 'fcwh-test/v1/fire', { fixture: 'feed.deleted' })).status,
    ).toBe(200);
    expect(
      (await call('second', 'netadmin', 'POST', 'fcwh-test/v1/fire', { fixture: 'feed.deleted' })).status,
    ).toBe(200);
    const [req] = await receiver.waitForRequests(1);
    expect(req!.path).toBe('/second');
    const [mainInbox] = await site().db.pool.query(
      "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'wp_fcwh_inbox'",
    );
    expect(Number((mainInbox as { n: number }[])[0]!.n)).toBe(0);
  });
});

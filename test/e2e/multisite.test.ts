/**
 * A subdirectory multisite network with two subsites: the plugin serves one site (the main one by default), only
 * network administrators manage its webhooks, and subsites record nothing (no inbox that nobody reads).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { SiteUser } from '../../scripts/stack/wordpress.ts';
import { specNamespace, useE2ESite } from '../helpers/rest.ts';

const site = useE2ESite({
  label: 'e2e_multisite',
  wordpress: {
    network: {
      sites: { second: 'Second site', third: 'Third site' },
      users: {
        netadmin: ['', 'administrator', true],
        mainadmin: ['', 'administrator', false],
        subadmin: ['second', 'administrator', false],
      },
    },
  },
});

type Login = 'netadmin' | 'mainadmin' | 'subadmin';

/** Calls a REST route of one site of the network (slug '' is the main site) as one network user. */
async function call(slug: string, as: Login, method: string, route: string, body?: unknown) {
  const network = site().wp.network!;
  const user: SiteUser = network.users[as]!;
  const res = await fetch(`${network.sites[slug]!.rest_url}${route.replace(/^\//, '')}`, {
    method,
    headers: {
      authorization: `Basic ${Buffer.from(`${user.user}:${user.app_password}`).toString('base64')}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return {
    status: res.status,
    text,
    body: text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : text,
  };
}
const admin = (slug: string, as: Login, method: string, path: string, body?: unknown) =>
  call(slug, as, method, `${specNamespace}${path}`, body);

const bearer = 'Bearer main-site-token-0123456789abcdef';
let webhookId = 0;
let mainUrl = '';

beforeAll(async () => {
  mainUrl = `${site().receiver.url}/main`;
  const created = await admin('', 'netadmin', 'POST', '/admin/webhooks', {
    name: 'Main site',
    url: mainUrl,
    events: ['*'],
    headers: { Authorization: bearer },
  });
  expect(created.status, created.text).toBe(201);
  webhookId = created.body.id;
});

describe('who manages the webhooks of a network', () => {
  it("refuses a subsite's administrator on their own site: no list, no header values, no change, no rotation", async () => {
    const attempts = [
      admin('second', 'subadmin', 'GET', '/admin/webhooks'),
      admin('second', 'subadmin', 'GET', `/admin/webhooks/${webhookId}`),
      admin('second', 'subadmin', 'PUT', `/admin/webhooks/${webhookId}`, {
        url: 'https://attacker.example/x',
      }),
      admin('second', 'subadmin', 'POST', `/admin/webhooks/${webhookId}/rotate-secret`),
      admin('second', 'subadmin', 'POST', '/admin/webhooks', {
        name: 'mine',
        url: 'https://attacker.example/y',
        events: ['*'],
      }),
      admin('second', 'subadmin', 'DELETE', `/admin/webhooks/${webhookId}`),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status, res.text).toBe(403);
      expect(res.body).toMatchObject({ code: 'rest_forbidden', data: { status: 403 } });
      expect(res.text).not.toContain('main-site-token');
    }
    const after = await admin('', 'netadmin', 'GET', `/admin/webhooks/${webhookId}`);
    expect(after.body).toMatchObject({ id: webhookId, url: mainUrl, headers: { Authorization: bearer } });
    const all = await admin('', 'netadmin', 'GET', '/admin/webhooks');
    expect(all.body.webhooks).toHaveLength(1);
  });

  it("refuses a subsite's administrator on the main site too", async () => {
    const res = await admin('', 'subadmin', 'GET', '/admin/webhooks');
    expect(res.status).toBe(403);
  });

  it('refuses an administrator of the served site who is not a network administrator', async () => {
    const res = await admin('', 'mainadmin', 'GET', '/admin/webhooks');
    expect(res.status, res.text).toBe(403);
    expect(res.body).toMatchObject({ code: 'rest_forbidden', data: { status: 403 } });
  });

  it('lets a network administrator manage them on the served site', async () => {
    const res = await admin('', 'netadmin', 'GET', '/admin/webhooks');
    expect(res.status).toBe(200);
    expect(res.body.webhooks[0]).toMatchObject({ id: webhookId, name: 'Main site' });
  });

  it('sends a network administrator on a subsite to the served site, with 403 and no data', async () => {
    const res = await admin('third', 'netadmin', 'GET', '/admin/webhooks');
    expect(res.status, res.text).toBe(403);
    expect(res.body.message).toContain('site 1');
    expect(res.text).not.toContain('main-site-token');
  });
});

describe('events on a network', () => {
  const inboxTables = async () =>
    (
      await site().wp.php(
        "global $wpdb; echo json_encode( $wpdb->get_col( $wpdb->prepare( 'SHOW TABLES LIKE %s', '%fcwh_inbox' ) ) );",
      )
    ).trim();

  it("records nothing on subsites (no inbox table grows unread) and delivers the served site's events", async () => {
    const { receiver } = site();
    receiver.clear();
    const fired = await call('second', 'subadmin', 'POST', 'fcwh-test/v1/fire', { fixture: 'feed.created' });
    expect(fired.status, fired.text).toBe(200);
    const onMain = await call('', 'netadmin', 'POST', 'fcwh-test/v1/fire', { fixture: 'feed.deleted' });
    expect(onMain.status, onMain.text).toBe(200);
    const [req] = await receiver.waitForRequests(1, { timeoutMs: 10_000 });
    expect(req!.headers['x-fluent-event']).toBe('feed.deleted');
    expect(req!.headers.authorization).toBe(bearer);
    expect(JSON.parse(await inboxTables())).toEqual([`${site().wp.db.table_prefix}fcwh_inbox`]);
    // The subsite's event is nowhere: not waiting in the served inbox, not delivered.
    const [rows] = await site().db.pool.query(
      `SELECT COUNT(*) AS n FROM wp_fcwh_events WHERE event = 'feed.created'`,
    );
    expect(Number((rows as { n: number }[])[0]!.n)).toBe(0);
    expect(receiver.requests.map((r) => r.headers['x-fluent-event'])).toEqual(['feed.deleted']);
  });

  it('records nothing when code on the served site switches to a subsite and fires an action there', async () => {
    const out = await site().wp.php(`
      switch_to_blog( 3 );
      do_action( 'fluent_community/feed/deleted', 77 );
      $recorded = FluentCommunityWebhooks\\Inbox::stored();
      FluentCommunityWebhooks\\Inbox::finish();
      restore_current_blog();
      global $wpdb;
      $rows = 0;
      foreach ( $wpdb->get_col( $wpdb->prepare( 'SHOW TABLES LIKE %s', '%fcwh_inbox' ) ) as $table ) {
        $rows += (int) $wpdb->get_var( "SELECT COUNT(*) FROM $table WHERE args LIKE '%77%'" );
      }
      echo json_encode( array( $recorded, FluentCommunityWebhooks\\Inbox::stored(), $rows ) );
    `);
    expect(JSON.parse(out.trim())).toEqual([0, 0, 0]);
  });
});

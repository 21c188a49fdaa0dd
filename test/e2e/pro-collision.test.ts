/** Fluent Community Pro owns GET/POST /admin/webhooks and DELETE /admin/webhooks/{id} in the shared namespace. */
import { describe, expect, it } from 'vitest';
import { ownNamespace, rest, useE2ESite } from '../helpers/rest.ts';

// Pro's routes are registered at the default priority on rest_api_init; the option switches them on.
const site = useE2ESite({ label: 'e2e_pro' });

describe('coexistence with Fluent Community Pro', () => {
  it('steps aside on the colliding routes, keeps the others, and always serves its own namespace', async () => {
    await site().wp.php("update_option('fcwh_test_pro_routes', 'yes');");
    try {
      const list = await rest(site(), 'GET', '/admin/webhooks');
      expect(list.body).toMatchObject({ pro: true });
      const created = await rest(site(), 'POST', '/admin/webhooks', {
        ns: ownNamespace,
        body: { name: 'mine', url: 'https://example.com/h', events: ['feed.created'] },
      });
      expect(created.status).toBe(201);
      // The own namespace's answers say which shared routes stepped aside (checked on this request too).
      expect(created.headers.get('x-fcwh-skipped-shared-routes')).toBe(
        'GET /admin/webhooks, POST /admin/webhooks, DELETE /admin/webhooks/{id}',
      );
      // PUT and GET by id do not collide: the spec's namespace still reaches this plugin.
      const updated = await rest(site(), 'PUT', `/admin/webhooks/${created.body.id}`, {
        body: { name: 'renamed' },
      });
      expect(updated).toMatchObject({ status: 200, body: { name: 'renamed' } });
      expect((await rest(site(), 'GET', `/admin/webhooks/${created.body.id}`)).body.name).toBe('renamed');
      // DELETE by id is Pro's now; ours stays reachable in our own namespace.
      expect((await rest(site(), 'DELETE', `/admin/webhooks/${created.body.id}`)).body).toMatchObject({
        pro: true,
      });
      expect(
        (await rest(site(), 'DELETE', `/admin/webhooks/${created.body.id}`, { ns: ownNamespace })).status,
      ).toBe(200);
    } finally {
      await site().wp.php("delete_option('fcwh_test_pro_routes');");
    }
  });

  it('serves every route in the spec namespace when Pro is absent', async () => {
    const list = await rest(site(), 'GET', '/admin/webhooks');
    expect(list.status).toBe(200);
    expect(list.body).toHaveProperty('webhooks');
  });
});

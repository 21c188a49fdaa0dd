/** Administrators only: every route answers 401 to anonymous callers and 403 to non-administrators. */
import { describe, expect, it } from 'vitest';
import { routes } from '../../shared/routes.ts';
import { ownNamespace, rest, specNamespace, useE2ESite } from '../helpers/rest.ts';

const site = useE2ESite({ label: 'e2e_auth' });
const sample = (path: string) => path.replace(/:[a-z_]+/g, '1');

describe('authorization matrix', () => {
  const table = Object.entries(routes).flatMap(([name, route]) =>
    [specNamespace, ownNamespace].map((ns) => [name, route.method, sample(route.path), ns] as const),
  );

  it.each(table)(
    '%s (%s %s in %s): anonymous 401, member/author/editor 403',
    async (_name, method, path, ns) => {
      const body = method === 'GET' || method === 'DELETE' ? undefined : { name: 'x' };
      const anonymous = await rest(site(), method, path, { as: 'anonymous', ns, ...(body ? { body } : {}) });
      expect(anonymous.status).toBe(401);
      expect(anonymous.body).toMatchObject({ code: 'rest_forbidden', data: { status: 401 } });
      for (const as of ['member', 'author', 'editor'] as const) {
        const res = await rest(site(), method, path, { as, ns, ...(body ? { body } : {}) });
        expect(res.status, `${as}`).toBe(403);
        expect(res.body).toEqual({
          code: 'rest_forbidden',
          message: "Sorry, you don't have permission to manage webhooks.",
          data: { status: 403 },
        });
      }
    },
  );

  it('lets the administrator in on every route (no 401/403)', async () => {
    for (const [, method, path, ns] of table) {
      const res = await rest(site(), method, path, {
        ns,
        ...(method === 'POST' || method === 'PUT' ? { body: {} } : {}),
      });
      expect([401, 403], `${method} ${path} ${ns}: ${JSON.stringify(res.body)}`).not.toContain(res.status);
      expect(res.status).toBeLessThan(500);
    }
  });

  it('refuses a wrong application password with 401', async () => {
    const res = await fetch(`${site().wp.rest_url}${specNamespace}/admin/webhooks`, {
      headers: { authorization: `Basic ${Buffer.from('admin:wrong pass word xxxx').toString('base64')}` },
    });
    expect(res.status).toBe(401);
  });

  it('refuses to talk to the sidecar without its shared secret', async () => {
    const res = await fetch(`${site().sidecar.url}/admin/webhooks`);
    expect(res.status).toBe(401);
    const wrong = await fetch(`${site().sidecar.url}/admin/webhooks`, {
      headers: { authorization: 'Bearer nope' },
    });
    expect(await wrong.json()).toEqual({
      code: 'unauthorized',
      message: 'A valid shared secret is required.',
      data: { status: 401 },
    });
    expect((await fetch(`${site().sidecar.url}/healthz`)).status).toBe(200);
  });
});

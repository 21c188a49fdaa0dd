/** The full per-file stack: WordPress and the real sidecar share the file's database; the receiver is allowlisted. */
import { describe, expect, it } from 'vitest';
import { useTestSite } from '../helpers/site.ts';

const site = useTestSite({ label: 'stack_site' });

describe('a full test site', () => {
  it('runs the real sidecar, healthy, on the port written into wp-config.php', async () => {
    const { sidecar, wp } = site();
    expect((await fetch(`${sidecar.url}/healthz`)).status).toBe(200);
    expect(await wp.php('echo FCWH_SIDECAR_URL;')).toBe(sidecar.url);
    expect(await wp.php('echo FCWH_SIDECAR_SECRET;')).toBe(sidecar.secret);
  });

  it("lets the sidecar migrate the site's own database, with the site's table prefix", async () => {
    const [rows] = await site().db.pool.query("SHOW TABLES LIKE 'wp\\_fcwh\\_%'");
    expect((rows as object[]).length).toBeGreaterThan(0);
  });

  it('answers the admin over the spec route through WordPress with an application password', async () => {
    const { wp } = site();
    const response = await fetch(`${wp.rest_url}fluent-community/v2/admin/webhooks`, {
      headers: { authorization: wp.basicAuth('admin') },
    });
    expect(response.status, await response.clone().text()).toBe(200);
  });
});

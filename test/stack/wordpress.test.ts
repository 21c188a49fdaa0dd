/** A real WordPress site from the stack tooling: install, users with application passwords, plugins, PHP snippets. */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { productPluginFile } from '../../scripts/stack/wordpress.ts';
import { useTestSite } from '../helpers/site.ts';

const site = useTestSite({ label: 'stack_wp', sidecar: false });

describe('a test WordPress site', () => {
  it('answers /wp-json/ anonymously', async () => {
    const response = await fetch(site().wp.rest_url);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ namespaces: expect.arrayContaining(['wp/v2']) });
  });

  it('accepts the admin application password over plain HTTP', async () => {
    const response = await fetch(`${site().wp.rest_url}wp/v2/users/me?context=edit`, {
      headers: { authorization: site().wp.basicAuth('admin') },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: site().wp.users.admin.id, roles: ['administrator'] });
  });

  it('gives member, author and editor their roles and working application passwords', async () => {
    const roles: Record<string, string> = { member: 'subscriber', author: 'author', editor: 'editor' };
    for (const name of ['member', 'author', 'editor'] as const) {
      const response = await fetch(`${site().wp.rest_url}wp/v2/users/me?context=edit`, {
        headers: { authorization: site().wp.basicAuth(name) },
      });
      expect(response.status, name).toBe(200);
      expect(((await response.json()) as { roles: string[] }).roles).toEqual([roles[name]]);
    }
  });

  it('refuses a wrong application password with 401', async () => {
    const auth = `Basic ${Buffer.from('admin:wrong wrong wrong').toString('base64')}`;
    const response = await fetch(`${site().wp.rest_url}wp/v2/users/me`, { headers: { authorization: auth } });
    expect(response.status).toBe(401);
  });

  it('serves pretty permalinks and has the product plugin active', async () => {
    const out = await site().wp.php(
      "echo json_encode( array( get_option( 'permalink_structure' ), get_option( 'active_plugins' ) ) );",
    );
    const [permalinks, active] = JSON.parse(out) as [string, string[]];
    expect(permalinks).toBe('/%postname%/');
    expect(active).toContain(productPluginFile);
  });

  it('keeps the application passwords and wp-config.php (shared secret) readable by their owner only', () => {
    const { siteDir, wpConfig } = site().wp;
    for (const file of [`${siteDir}-state.json`, wpConfig])
      expect((fs.statSync(file).mode & 0o777).toString(8), file).toBe('600');
  });

  it('writes the sidecar constants and local environment into wp-config.php', async () => {
    const out = await site().wp.php(
      'echo json_encode( array( FCWH_SIDECAR_URL, wp_get_environment_type(), WP_DEBUG ) );',
    );
    expect(JSON.parse(out)).toEqual([expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), 'local', true]);
  });
});

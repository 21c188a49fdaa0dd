/**
 * `npm run build:plugin`: the zip holds the plugin and nothing else, installs into a clean WordPress, works, and
 * uninstalls (options always, fcwh_ tables only on opt-in).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { repoRoot } from '../../scripts/stack/sidecar.ts';
import { productPluginFile } from '../../scripts/stack/wordpress.ts';
import { fireFixture, ownNamespace, rest, useE2ESite } from '../helpers/rest.ts';

const run = promisify(execFile);
const out = path.join(inject('stack').runDir, `ops-zip-${randomBytes(3).toString('hex')}`);
const zipFile = path.join(out, 'fluent-community-webhooks.zip');
// The plugin comes from the zip only: the site gets no copy of wp-plugin/.
const site = useE2ESite({ label: 'ops_zip', wordpress: { productPlugin: false } });

// The admin screen's build (part of the zip) may be stale after a change to admin/ or shared/: build it first, on
// the hook's longer timeout, so that each test times the zip alone.
beforeAll(() => run('bash', ['scripts/build-admin.sh'], { cwd: repoRoot }));

async function build(dir: string): Promise<string> {
  const { stdout } = await run('bash', ['scripts/build-plugin.sh'], {
    cwd: repoRoot,
    env: { ...process.env, FCWH_DIST: dir, SOURCE_DATE_EPOCH: '1767225600' },
  });
  return stdout;
}

/** Every file the plugin is made of: wp-plugin/ less dotfiles and editor leftovers. */
function pluginFiles(dir = path.join(repoRoot, 'wp-plugin'), prefix = ''): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => !e.name.startsWith('.') && !/(~|\.swp|\.orig|\.rej)$/.test(e.name))
    .flatMap((e) =>
      e.isDirectory() ? pluginFiles(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
    );
}

const fcwhOptions = (s = site()) =>
  s.wp.php(`global $wpdb;
echo wp_json_encode( $wpdb->get_col( "SELECT option_name FROM {$wpdb->options} WHERE option_name LIKE '%fcwh\\\\_%' ORDER BY option_name" ) );`);
const fcwhTables = async () => {
  const [rows] = await site().db.pool.query("SHOW TABLES LIKE 'wp\\_fcwh\\_%'");
  return (rows as Record<string, string>[]).map((r) => Object.values(r)[0]!).sort();
};
const pluginsDir = () => path.join(site().wp.siteDir, 'wp-content', 'plugins');

describe('the plugin zip', () => {
  it('holds exactly the plugin under fluent-community-webhooks/, contracts, admin screen and readme.txt included', async () => {
    expect(await build(out)).toMatch(
      /^build-plugin: .*fluent-community-webhooks\.zip \(\d+ files, \d+ bytes\)\n$/,
    );
    const { stdout } = await run('unzip', ['-Z1', zipFile]);
    const names = stdout.trim().split('\n').sort();
    expect(names).toEqual(
      pluginFiles()
        .map((f) => `fluent-community-webhooks/${f}`)
        .sort(),
    );
    expect(names).toEqual(
      expect.arrayContaining([
        'fluent-community-webhooks/fluent-community-webhooks.php',
        'fluent-community-webhooks/generated/contracts.php',
        'fluent-community-webhooks/readme.txt',
        'fluent-community-webhooks/uninstall.php',
        'fluent-community-webhooks/includes/class-site-health.php',
        // The admin screen, built by scripts/build-admin.sh.
        'fluent-community-webhooks/build/admin.js',
        'fluent-community-webhooks/build/admin.asset.php',
      ]),
    );
    expect(names.filter((n) => /fcwh-fc-emulator|fcwh-pro-collision|\/\./.test(n))).toEqual([]);
  });

  it('is the same byte for byte when built again from the same tree', async () => {
    const again = path.join(out, 'again');
    await build(again);
    expect(fs.readFileSync(path.join(again, 'fluent-community-webhooks.zip'))).toEqual(
      fs.readFileSync(zipFile),
    );
  });

  it('installs into a clean WordPress, activates and serves the API and events', async () => {
    expect(fs.existsSync(path.join(pluginsDir(), 'fluent-community-webhooks'))).toBe(false);
    await run('unzip', ['-q', zipFile, '-d', pluginsDir()]);
    const active = await site().wp.php(`require_once ABSPATH . 'wp-admin/includes/plugin.php';
$r = activate_plugin( ${JSON.stringify(productPluginFile)} );
echo is_wp_error( $r ) ? $r->get_error_message() : wp_json_encode( get_option( 'active_plugins' ) );`);
    expect(JSON.parse(active)).toContain(productPluginFile);
    expect(JSON.parse(await fcwhOptions())).toContain('fcwh_db_version');

    const created = await rest(site(), 'POST', '/admin/webhooks', {
      ns: ownNamespace,
      body: { name: 'from zip', url: `${site().receiver.url}/zip`, events: ['space.deleted'] },
    });
    expect(created.status).toBe(201);
    site().receiver.clear();
    await fireFixture(site(), 'space.deleted');
    const [delivered] = await site().receiver.waitForRequests(1, { filter: (r) => r.path === '/zip' });
    expect(JSON.parse(delivered!.body).event).toBe('space.deleted');
  });

  it('uninstalls: options go, webhooks and history stay unless the site owner opted in', async () => {
    await site().sidecar.stop();
    // The Site Health check leaves its transient: uninstall must take it too.
    await site().wp.php('FluentCommunityWebhooks\\SidecarNotice::cached_health();');
    expect(JSON.parse(await fcwhOptions())).toContain('_transient_fcwh_sidecar_health');
    const tables = await fcwhTables();
    expect(tables).toEqual(
      expect.arrayContaining(['wp_fcwh_inbox', 'wp_fcwh_webhooks', 'wp_fcwh_deliveries']),
    );

    const uninstall = `require_once ABSPATH . 'wp-admin/includes/plugin.php';
deactivate_plugins( ${JSON.stringify(productPluginFile)} );
uninstall_plugin( ${JSON.stringify(productPluginFile)} );
echo 'done';`;
    expect(await site().wp.php(uninstall)).toBe('done');
    expect(JSON.parse(await fcwhOptions())).toEqual([]);
    expect(await fcwhTables()).toEqual(tables);

    // Opt in, then delete the plugin as the Plugins screen's "Delete" does (uninstall.php, then the files).
    await site().wp.php(`require_once ABSPATH . 'wp-admin/includes/plugin.php';
activate_plugin( ${JSON.stringify(productPluginFile)} );
update_option( 'fcwh_drop_tables_on_uninstall', 'yes' );
deactivate_plugins( ${JSON.stringify(productPluginFile)} );`);
    const deleted = await site().wp.php(`require_once ABSPATH . 'wp-admin/includes/plugin.php';
require_once ABSPATH . 'wp-admin/includes/file.php';
$r = delete_plugins( array( ${JSON.stringify(productPluginFile)} ) );
echo is_wp_error( $r ) ? $r->get_error_message() : wp_json_encode( $r );`);
    expect(deleted).toBe('true');
    expect(await fcwhTables()).toEqual([]);
    expect(JSON.parse(await fcwhOptions())).toEqual([]);
    expect(fs.existsSync(path.join(pluginsDir(), 'fluent-community-webhooks'))).toBe(false);
  });
});

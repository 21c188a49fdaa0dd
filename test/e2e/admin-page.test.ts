/** Where the Webhooks screen is registered, and for whom: WordPress's own admin_menu run inside the site. */
import { describe, expect, it } from 'vitest';
import { useE2ESite } from '../helpers/rest.ts';
import type { SiteUserName } from '../../scripts/stack/wordpress.ts';

const site = useE2ESite({ label: 'admin_page' });

/** The parent menus the page is registered under, for `user`, with or without Fluent Community's menu. */
async function parents(user: SiteUserName, options: { fcMenu?: boolean; grant?: boolean } = {}) {
  const out = await site().wp.php(
    `require_once ABSPATH . 'wp-admin/includes/plugin.php';
global $menu, $submenu;
$menu = array();
$submenu = array();
wp_set_current_user( $fcwh_input['user'] );
if ( $fcwh_input['grant'] ) {
	add_filter( 'fluent_community_webhooks/can_manage', '__return_true' );
}
if ( $fcwh_input['fc'] ) {
	add_menu_page( 'Fluent Community', 'FluentCommunity', 'read', 'fluent-community', '__return_null' );
}
do_action( 'admin_menu', '' );
$found = array();
foreach ( (array) $submenu as $parent => $items ) {
	foreach ( $items as $item ) {
		if ( 'fluent-community-webhooks' === $item[2] ) {
			$found[] = $parent;
		}
	}
}
echo wp_json_encode( $found );`,
    { user: site().wp.users[user].id, fc: options.fcMenu ?? false, grant: options.grant ?? false },
  );
  return JSON.parse(out) as string[];
}

describe('the Webhooks admin page', () => {
  it('sits under Settings when Fluent Community has no menu', async () => {
    expect(await parents('admin')).toEqual(['options-general.php']);
  });

  it("sits under Fluent Community's menu when it exists", async () => {
    expect(await parents('admin', { fcMenu: true })).toEqual(['fluent-community']);
  });

  it('is not registered for users the routes refuse', async () => {
    expect(await parents('member')).toEqual([]);
    expect(await parents('editor', { fcMenu: true })).toEqual([]);
  });

  it('follows the can_manage filter, as the routes do', async () => {
    expect(await parents('editor', { grant: true })).toEqual(['options-general.php']);
  });
});

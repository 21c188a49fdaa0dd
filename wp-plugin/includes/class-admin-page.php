<?php
/**
 * The "Webhooks" screen in wp-admin: registers the page and loads the built React app (admin/ → build/).
 *
 * @package FluentCommunityWebhooks
 */

declare(strict_types=1);

namespace FluentCommunityWebhooks;

defined( 'ABSPATH' ) || exit;

/**
 * Registers the page and enqueues the app; the app does the rest over the plugin's REST routes.
 */
final class AdminPage {

	const SLUG = 'fluent-community-webhooks';

	/**
	 * Fluent Community's own top-level menu, which the page joins when it exists.
	 */
	const PARENT_SLUG = 'fluent-community';

	/**
	 * The page's hook suffix, set once registered.
	 *
	 * @var string
	 */
	private static $hook_suffix = '';

	/**
	 * Adds the page for users who may manage webhooks: under Fluent Community's menu, else under Settings.
	 * Runs late on admin_menu so that Fluent Community's menu exists by then.
	 */
	public static function register(): void {
		if ( ! Permissions::current_user_can_manage() ) {
			return;
		}
		$title      = __( 'Webhooks', 'fluent-community-webhooks' );
		$page_title = __( 'Fluent Community Webhooks', 'fluent-community-webhooks' );
		// The decision is Permissions' (capability filter, then can_manage): WordPress only needs a capability that
		// every user it let through has, or a user whom can_manage admits without the capability is turned away.
		$capability = 'read';
		$render     = array( self::class, 'render' );
		$suffix     = isset( $GLOBALS['admin_page_hooks'][ self::PARENT_SLUG ] )
			? add_submenu_page( self::PARENT_SLUG, $page_title, $title, $capability, self::SLUG, $render )
			: add_options_page( $page_title, $title, $capability, self::SLUG, $render );
		self::$hook_suffix = is_string( $suffix ) ? $suffix : '';
	}

	/**
	 * Loads the app's script and styles on the page only, with the REST root and a REST nonce for api-fetch.
	 *
	 * @param string $hook_suffix The current admin page.
	 */
	public static function enqueue( string $hook_suffix ): void {
		if ( '' === self::$hook_suffix || $hook_suffix !== self::$hook_suffix ) {
			return;
		}
		$dir   = dirname( __DIR__ ) . '/build/';
		$asset = is_readable( $dir . 'admin.asset.php' ) ? require $dir . 'admin.asset.php' : null;
		if ( ! is_array( $asset ) ) {
			return;
		}
		$url = plugins_url( 'build/', __DIR__ );
		wp_enqueue_script( self::SLUG, $url . 'admin.js', $asset['dependencies'], $asset['version'], true );
		wp_set_script_translations( self::SLUG, 'fluent-community-webhooks', dirname( __DIR__ ) . '/languages' );
		wp_add_inline_script(
			self::SLUG,
			'window.fcwhAdmin = ' . wp_json_encode(
				array(
					'restRoot' => esc_url_raw( rest_url() ),
					'nonce'    => wp_create_nonce( 'wp_rest' ),
				)
			) . ';',
			'before'
		);
		if ( is_readable( $dir . 'style-admin.css' ) ) {
			wp_enqueue_style( self::SLUG, $url . 'style-admin.css', array(), $asset['version'] );
			wp_style_add_data( self::SLUG, 'rtl', 'replace' );
		}
	}

	/**
	 * The page's markup: the app's mount point, and a message for when the built app is missing.
	 */
	public static function render(): void {
		echo '<div class="wrap"><div id="fcwh-admin-root">';
		if ( ! is_readable( dirname( __DIR__ ) . '/build/admin.asset.php' ) ) {
			echo '<div class="notice notice-error"><p>' . esc_html__( 'The Webhooks screen is not built: run `npm run build:admin` in the plugin\'s repository, or install the plugin from its release zip.', 'fluent-community-webhooks' ) . '</p></div>';
		}
		echo '<noscript>' . esc_html__( 'The Webhooks screen needs JavaScript.', 'fluent-community-webhooks' ) . '</noscript>';
		echo '</div></div>';
	}
}

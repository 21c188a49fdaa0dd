<?php
/**
 * The plugin's whole WordPress surface, on one screen.
 *
 * @package FluentCommunityWebhooks
 */

declare(strict_types=1);

namespace FluentCommunityWebhooks;

defined( 'ABSPATH' ) || exit;

/**
 * Every add_action() and add_filter() the plugin makes is in bootstrap().
 *
 * Hooks the plugin offers to others:
 * - filter `fluent_community_webhooks/capability` (string, default 'manage_options', on a network
 *   'manage_network_options');
 * - filter `fluent_community_webhooks/can_manage` (bool, user id): the final say on access;
 * - filter `fluent_community_webhooks/use_shared_namespace` (bool, default true);
 * - filter `fluent_community_webhooks/log_skipped_routes` (bool, skipped routes);
 * - filter `fluent_community_webhooks/sidecar_request_args` (HTTP API args, sidecar path);
 * - action `fluent_community_webhooks/webhook_disabled` (webhook id, reason): the sidecar disabled a webhook;
 * - action `fluent_community_webhooks/shared_routes_skipped` (skipped routes).
 */
final class Plugin {

	/**
	 * Hooks the plugin into WordPress.
	 *
	 * @param string $file The main plugin file (__FILE__ of fluent-community-webhooks.php).
	 */
	public static function bootstrap( string $file ): void {
		register_activation_hook( $file, array( Activation::class, 'activate' ) );
		add_action( 'admin_init', array( Activation::class, 'maybe_upgrade' ) );

		// Management API and the sidecar's notice that it disabled a webhook (signed by the sidecar; an action and an
		// e-mail to the admin). On a REST request, registered only when a dispatch could reach them, first on
		// rest_pre_dispatch; elsewhere late on rest_api_init. Either way after Fluent Community (Pro) registered
		// its routes, so that collisions are seen.
		add_action( 'rest_api_init', array( RestRoutes::class, 'register' ), 100 );
		add_filter( 'rest_pre_dispatch', array( RestRoutes::class, 'register_for_dispatch' ), PHP_INT_MIN, 3 );
		add_filter( 'rest_request_before_callbacks', array( RestRoutes::class, 'let_sidecar_judge_json' ), 10, 3 );
		add_filter( 'rest_post_dispatch', array( RestRoutes::class, 'add_skipped_header' ), 10, 3 );

		// Calls to the sidecar carry the shared secret: never through WP_PROXY_HOST.
		add_filter( 'pre_http_send_through_proxy', array( SidecarEndpoint::class, 'bypass_proxy' ), 10, 2 );

		// Events: one listener per action of the contracts (calls buffered in memory); at shutdown one INSERT of
		// the request's calls, then one wake-up call to the sidecar.
		// A deletion passes only an id: the action that fires just before it, with the model, is remembered for it.
		foreach ( Contracts::hooks() as $spec ) {
			add_action( $spec['hook'], array( HookListener::class, 'record' ), 10, $spec['accepted_args'] );
			if ( ! empty( $spec['before'] ) ) {
				add_action( $spec['before']['hook'], array( HookListener::class, 'remember' ), 10, 1 );
			}
		}
		add_action( 'shutdown', array( self::class, 'shutdown' ) );

		// Operations, on the served site only (see Network; not loaded on a single site): a Site Health test, a
		// notice to administrators while the sidecar is down (checked once a minute), and the Webhooks screen (a React
		// app over the REST routes; late, after Fluent Community's menu exists).
		if ( ! is_multisite() || Network::serves_current_site() ) {
			add_filter( 'site_status_tests', array( SiteHealth::class, 'register_tests' ) );
			add_action( 'admin_notices', array( SidecarNotice::class, 'render' ) );
			add_action( 'admin_menu', array( AdminPage::class, 'register' ), 20 );
			add_action( 'admin_enqueue_scripts', array( AdminPage::class, 'enqueue' ) );
		}
	}

	/**
	 * At shutdown: the listener's write and wake-up, when something may have been recorded. Nothing was unless
	 * HookListener was loaded (classes load on first use), so a request without an event loads no more files.
	 */
	public static function shutdown(): void {
		if ( class_exists( HookListener::class, false ) ) {
			HookListener::shutdown();
		}
	}
}

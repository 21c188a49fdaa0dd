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
 */
final class Plugin {

	/**
	 * The main plugin file.
	 *
	 * @var string
	 */
	private static string $file = '';

	/**
	 * Hooks the plugin into WordPress.
	 *
	 * @param string $file The main plugin file (__FILE__ of fluent-community-webhooks.php).
	 */
	public static function bootstrap( string $file ): void {
		self::$file = $file;

		register_activation_hook( $file, array( Activation::class, 'activate' ) );
		add_action( 'admin_init', array( Activation::class, 'maybe_upgrade' ) );
		add_action( 'init', array( self::class, 'load_textdomain' ) );

		// Management API: late, so that routes of Fluent Community (Pro) exist when collisions are checked.
		add_action( 'rest_api_init', array( RestRoutes::class, 'register' ), 100 );
		add_filter( 'rest_request_before_callbacks', array( RestRoutes::class, 'let_sidecar_judge_json' ), 10, 3 );
		add_filter( 'rest_post_dispatch', array( SharedNamespace::class, 'add_skipped_header' ), 10, 3 );

		// Events: one listener per action of the contracts, then one wake-up call to the sidecar.
		foreach ( Contracts::hooks() as $spec ) {
			add_action( $spec['hook'], array( HookListener::class, 'record' ), 10, $spec['accepted_args'] );
		}
		add_action( 'shutdown', array( HookListener::class, 'wake_sidecar' ) );
		add_filter( 'pre_get_table_charset', array( Inbox::class, 'table_charset' ), 10, 2 );
		add_filter( 'pre_get_col_charset', array( Inbox::class, 'column_charset' ), 10, 2 );
	}

	/**
	 * Loads translations shipped in the plugin's languages/ folder.
	 */
	public static function load_textdomain(): void {
		load_plugin_textdomain( 'fluent-community-webhooks', false, dirname( plugin_basename( self::$file ) ) . '/languages' );
	}
}

<?php
/**
 * Creates the inbox table, so that events are kept even before the sidecar first runs.
 *
 * @package FluentCommunityWebhooks
 */

declare(strict_types=1);

namespace FluentCommunityWebhooks;

defined( 'ABSPATH' ) || exit;

/**
 * Installs the plugin's one table; every other table belongs to the sidecar's migrations.
 */
final class Activation {

	/**
	 * Option holding the contracts version the inbox table was last installed for.
	 */
	const VERSION_OPTION = 'fcwh_db_version';

	/**
	 * Activation hook: installs the inbox of the site the plugin serves (see Network), and of no other site.
	 *
	 * @param bool $network_wide Whether the plugin is being activated for the whole network.
	 */
	public static function activate( $network_wide = false ): void {
		unset( $network_wide );
		if ( Network::serves_current_site() ) {
			self::install();
			return;
		}
		if ( is_multisite() && get_site( Network::served_site_id() ) ) {
			switch_to_blog( Network::served_site_id() );
			self::install();
			restore_current_blog();
		}
	}

	/**
	 * On admin requests, installs again when the plugin files were updated without re-activation.
	 */
	public static function maybe_upgrade(): void {
		if ( Network::serves_current_site() && get_option( self::VERSION_OPTION ) !== Contracts::version() ) {
			self::install();
		}
	}

	/**
	 * Creates the inbox table from the contracts' DDL (CREATE TABLE IF NOT EXISTS, so safe to repeat).
	 */
	public static function install(): void {
		global $wpdb;

		$ddl = str_replace( '{prefix}', $wpdb->prefix, Contracts::inbox()['ddl'] );
		// phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared,WordPress.DB.DirectDatabaseQuery -- DDL from the generated contracts, no input.
		if ( false !== $wpdb->query( $ddl ) ) {
			update_option( self::VERSION_OPTION, Contracts::version() );
		}
	}
}

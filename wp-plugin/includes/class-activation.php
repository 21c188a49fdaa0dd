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
	 * Activation hook: installs for this site, or for every site of a network activation.
	 *
	 * @param bool $network_wide Whether the plugin is being activated for the whole network.
	 */
	public static function activate( $network_wide = false ): void {
		if ( $network_wide && is_multisite() ) {
			foreach ( get_sites( array( 'fields' => 'ids', 'number' => 0 ) ) as $site_id ) {
				switch_to_blog( (int) $site_id );
				self::install();
				restore_current_blog();
			}
			return;
		}
		self::install();
	}

	/**
	 * On admin requests, installs again when the plugin files were updated without re-activation.
	 */
	public static function maybe_upgrade(): void {
		if ( get_option( self::VERSION_OPTION ) !== Contracts::version() ) {
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

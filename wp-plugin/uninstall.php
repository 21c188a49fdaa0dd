<?php
/**
 * Uninstall: deletes the plugin's options; drops its tables only when the site owner opted in.
 *
 * Webhooks, secrets and delivery history live in {prefix}fcwh_* tables. They are kept unless the option
 * fcwh_drop_tables_on_uninstall is 'yes' or wp-config.php defines FCWH_DROP_TABLES_ON_UNINSTALL as true.
 *
 * @package FluentCommunityWebhooks
 */

declare(strict_types=1);

namespace FluentCommunityWebhooks\Uninstall;

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

/**
 * Cleans up the current site.
 */
function uninstall_site(): void {
	global $wpdb;

	$drop_tables = 'yes' === get_option( 'fcwh_drop_tables_on_uninstall' )
		|| ( defined( 'FCWH_DROP_TABLES_ON_UNINSTALL' ) && true === FCWH_DROP_TABLES_ON_UNINSTALL );

	delete_option( 'fcwh_db_version' );
	delete_option( 'fcwh_drop_tables_on_uninstall' );
	delete_option( 'fcwh_skipped_shared_routes' );
	delete_transient( 'fcwh_sidecar_health' );

	if ( ! $drop_tables ) {
		return;
	}
	// phpcs:ignore WordPress.DB.DirectDatabaseQuery -- listing this plugin's own tables.
	$tables = $wpdb->get_col( $wpdb->prepare( 'SHOW TABLES LIKE %s', $wpdb->esc_like( $wpdb->prefix . 'fcwh_' ) . '%' ) );
	foreach ( $tables as $table ) {
		// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared,WordPress.DB.DirectDatabaseQuery,WordPress.DB.DirectDatabaseQuery.SchemaChange -- a table name read from SHOW TABLES.
		$wpdb->query( 'DROP TABLE IF EXISTS `' . str_replace( '`', '``', $table ) . '`' );
	}
}

if ( is_multisite() ) {
	foreach ( get_sites( array( 'fields' => 'ids', 'number' => 0 ) ) as $fcwh_site_id ) {
		switch_to_blog( (int) $fcwh_site_id );
		uninstall_site();
		restore_current_blog();
	}
} else {
	uninstall_site();
}

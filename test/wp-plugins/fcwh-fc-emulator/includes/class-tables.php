<?php
/**
 * Fluent Community's own tables that the webhooks sidecar reads, created as Fluent Community creates them.
 *
 * @package FcwhTest\FcEmulator
 */

declare(strict_types=1);

namespace FcwhTest\FcEmulator;

defined( 'ABSPATH' ) || exit;

/**
 * Creates `{prefix}fcom_xprofile` on activation, with the columns of a real install
 * (../shared/fluent-community/HOOKS.md, "The xprofile record"). Like Fluent Community, it adds no rows: a profile
 * row appears lazily, so a test that wants one inserts it, and every other user falls back to the WordPress user.
 */
final class Tables {

	/**
	 * Creates the tables that do not exist yet.
	 */
	public static function create(): void {
		global $wpdb;
		$charset = $wpdb->get_charset_collate();
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery -- schema creation on activation, as Fluent Community's migrator does.
		$wpdb->query(
			"CREATE TABLE IF NOT EXISTS {$wpdb->prefix}fcom_xprofile (
				id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
				user_id BIGINT UNSIGNED NOT NULL,
				total_points INT UNSIGNED NOT NULL DEFAULT 0,
				username VARCHAR(100) NULL,
				status ENUM('active', 'blocked', 'pending') NOT NULL DEFAULT 'active',
				is_verified TINYINT(1) NOT NULL DEFAULT 0,
				display_name VARCHAR(192) NULL,
				avatar TEXT NULL,
				short_description TEXT NULL,
				last_activity DATETIME NULL,
				meta LONGTEXT NULL,
				created_at TIMESTAMP NULL,
				updated_at TIMESTAMP NULL,
				UNIQUE KEY user_id (user_id)
			) $charset"
		);
	}
}

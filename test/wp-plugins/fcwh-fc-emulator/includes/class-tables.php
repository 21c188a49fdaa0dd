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
 * Also `{prefix}fcom_spaces` (the sidecar reads a space's privacy and group, and the names of filtered spaces) and
 * `{prefix}fcom_posts` (a post's space), with the columns of Fluent Community 2.8.1's FeedSpaceMigrator and
 * FeedMigrator (only the indexes those reads use); tests insert the rows they need.
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
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery -- schema creation on activation, as Fluent Community's migrator does.
		$wpdb->query(
			"CREATE TABLE IF NOT EXISTS {$wpdb->prefix}fcom_spaces (
				`id` BIGINT UNSIGNED NOT NULL PRIMARY KEY AUTO_INCREMENT,
				`created_by` BIGINT UNSIGNED NULL,
				`parent_id` BIGINT UNSIGNED NULL,
				`title` VARCHAR(194) NOT NULL,
				`slug` VARCHAR(194) NOT NULL,
				`logo` TEXT NULL,
				`cover_photo` TEXT NULL,
				`description` LONGTEXT NULL,
				`type` VARCHAR(100) NULL,
				`privacy` VARCHAR(100) NULL DEFAULT 'public',
				`status` VARCHAR(100) NULL DEFAULT 'published',
				`serial` INT(11) NULL DEFAULT 1,
				`settings` LONGTEXT NULL,
				`created_at` TIMESTAMP NULL,
				`updated_at` TIMESTAMP NULL,
				INDEX `title` (`title`),
				INDEX `status` (`status`)
			) $charset"
		);
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery -- schema creation on activation, as Fluent Community's migrator does.
		$wpdb->query(
			"CREATE TABLE IF NOT EXISTS {$wpdb->prefix}fcom_posts (
				`id` BIGINT UNSIGNED NOT NULL PRIMARY KEY AUTO_INCREMENT,
				`user_id` BIGINT UNSIGNED NULL,
				`parent_id` BIGINT UNSIGNED NULL,
				`title` VARCHAR(192) NULL,
				`slug` VARCHAR(192) NULL,
				`message` LONGTEXT NULL,
				`message_rendered` LONGTEXT NULL,
				`type` VARCHAR(100) NULL DEFAULT 'feed',
				`content_type` VARCHAR(100) NULL DEFAULT 'text',
				`space_id` BIGINT UNSIGNED NULL,
				`privacy` VARCHAR(100) NULL DEFAULT 'public',
				`status` VARCHAR(100) NULL DEFAULT 'published',
				`featured_image` TEXT NULL,
				`meta` LONGTEXT NULL,
				`is_sticky` TINYINT(1) NULL DEFAULT 0,
				`comments_count` INT(11) NULL DEFAULT 0,
				`reactions_count` INT(11) NULL DEFAULT 0,
				`priority` INT(11) NULL DEFAULT 0,
				`expired_at` DATETIME NULL,
				`scheduled_at` DATETIME NULL,
				`created_at` TIMESTAMP NULL,
				`updated_at` TIMESTAMP NULL,
				INDEX `idx_space_id_status` (`space_id`, `status`)
			) $charset"
		);
	}
}

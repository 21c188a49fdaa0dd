<?php
/**
 * Plugin Name:       Fluent Community Webhooks
 * Description:       Outgoing, signed and retried webhooks for Fluent Community events, delivered by a companion service.
 * Version:           0.1.0
 * Requires at least: 6.0
 * Requires PHP:      7.4
 * License:           GPL-2.0-or-later
 * License URI:       https://www.gnu.org/licenses/gpl-2.0.html
 * Text Domain:       fluent-community-webhooks
 *
 * @package FluentCommunityWebhooks
 */

declare(strict_types=1);

defined( 'ABSPATH' ) || exit;

/*
 * Classes load on first use: a request that fires no event loads four of the plugin's files (this one, Plugin,
 * Contracts and the generated contracts; RestRoutes too on REST requests), not all of them. Hand-written rather
 * than Composer's: the plugin ships without vendor/, and WordPress's file naming (class-sidecar-notice.php for
 * SidecarNotice) is one rule.
 */
spl_autoload_register(
	static function ( string $class_name ): void {
		$prefix = 'FluentCommunityWebhooks\\';
		if ( 0 !== strncmp( $class_name, $prefix, strlen( $prefix ) ) ) {
			return;
		}
		$file = __DIR__ . '/includes/class-' . strtolower( (string) preg_replace( '/(?<=[a-z0-9])[A-Z]/', '-$0', substr( $class_name, strlen( $prefix ) ) ) ) . '.php';
		if ( is_file( $file ) ) {
			require_once $file;
		}
	}
);

FluentCommunityWebhooks\Plugin::bootstrap( __FILE__ );

<?php
/**
 * Plugin Name:       FCWH Test: Fluent Community emulator
 * Description:       TEST ONLY. Declares Fluent Community's model classes when the real plugin is absent, creates its xprofile, spaces and posts tables on activation, fires its actions from logged fixtures over REST (POST /wp-json/fcwh-test/v1/fire and /bench, administrators only), and registers Fluent Community's 120 routes in fluent-community/v2 (those of HOOKS.md fire their action).
 * Version:           0.1.0
 * Requires at least: 6.0
 * Requires PHP:      7.4
 * License:           GPL-2.0-or-later
 *
 * Fixtures come from test/fixtures/hook-args of this repository, or from the folder in the constant
 * FCWH_TEST_FIXTURES_DIR.
 *
 * @package FcwhTest\FcEmulator
 */

declare(strict_types=1);

defined( 'ABSPATH' ) || exit;

require_once __DIR__ . '/includes/class-model.php';
require_once __DIR__ . '/includes/class-fixtures.php';
require_once __DIR__ . '/includes/class-probe.php';
require_once __DIR__ . '/includes/class-routes.php';
require_once __DIR__ . '/includes/class-portal-routes.php';
require_once __DIR__ . '/includes/class-bench.php';
require_once __DIR__ . '/includes/class-tables.php';

register_activation_hook( __FILE__, array( FcwhTest\FcEmulator\Tables::class, 'create' ) );

// Models only after every plugin loaded, so that real Fluent Community classes (autoloaded) take precedence.
add_action(
	'plugins_loaded',
	static function (): void {
		require_once __DIR__ . '/includes/models.php';
	},
	1
);
add_action( 'rest_api_init', array( FcwhTest\FcEmulator\Routes::class, 'register' ) );
add_action( 'rest_api_init', array( FcwhTest\FcEmulator\PortalRoutes::class, 'register' ) );

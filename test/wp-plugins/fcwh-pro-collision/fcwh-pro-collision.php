<?php
/**
 * Plugin Name:       FCWH Test: Fluent Community Pro route collision
 * Description:       TEST ONLY. When the option fcwh_test_pro_routes is 'yes', serves the routes Fluent Community Pro registers for its incoming webhooks in fluent-community/v2: GET and POST /admin/webhooks, DELETE /admin/webhooks/{id}.
 * Version:           0.1.0
 * Requires at least: 6.0
 * Requires PHP:      7.4
 * License:           GPL-2.0-or-later
 *
 * @package FcwhTest\ProCollision
 */

declare(strict_types=1);

namespace FcwhTest\ProCollision;

use WP_REST_Request;

defined( 'ABSPATH' ) || exit;

/**
 * Registers the competing routes, at the default priority like Fluent Community Pro.
 */
function register_routes(): void {
	if ( 'yes' !== get_option( 'fcwh_test_pro_routes' ) ) {
		return;
	}
	$routes = array(
		'/admin/webhooks'             => 'GET, POST',
		'/admin/webhooks/(?P<id>\d+)' => 'DELETE',
	);
	foreach ( $routes as $path => $methods ) {
		register_rest_route(
			'fluent-community/v2',
			$path,
			array(
				'methods'             => $methods,
				'callback'            => __NAMESPACE__ . '\answer',
				'permission_callback' => '__return_true',
			)
		);
	}
}

/**
 * Answers like a stand-in for Pro: which route and method was reached.
 *
 * @param WP_REST_Request $request The REST request.
 * @return array{pro: bool, route: string, method: string}
 */
function answer( WP_REST_Request $request ): array {
	return array(
		'pro'    => true,
		'route'  => $request->get_route(),
		'method' => $request->get_method(),
	);
}

add_action( 'rest_api_init', __NAMESPACE__ . '\register_routes' );

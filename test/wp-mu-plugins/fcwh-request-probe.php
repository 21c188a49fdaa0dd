<?php
/**
 * Plugin Name:       FCWH Test: request probe
 * Description:       TEST ONLY (must-use). Per request, on the caller's say: runs the request without the webhooks plugin (A/B benchmarks), and counts the REST server's get_routes() calls.
 * Version:           0.1.0
 * License:           GPL-2.0-or-later
 *
 * Request headers:
 * - `X-FCWH-Test-Plugin: off` leaves the webhooks plugin out of this request's active plugins, so that one
 *   warm server answers both arms of an A/B comparison, request by request;
 * - `X-FCWH-Test-Count-Routes: 1` adds the response header `X-FCWH-Test-Get-Routes: calls=N; endpoints=M` to
 *   REST answers: how many times WP_REST_Server::get_routes() ran (it applies the `rest_endpoints` filter once
 *   per call) and how many endpoints those calls handed to the filter in all.
 * Trusts any caller: never install it outside tests and benchmarks.
 *
 * @package FcwhTest\RequestProbe
 */

declare(strict_types=1);

namespace FcwhTest\RequestProbe;

defined( 'ABSPATH' ) || exit;

const PRODUCT_PLUGIN = 'fluent-community-webhooks/fluent-community-webhooks.php';

if ( 'off' === ( $_SERVER['HTTP_X_FCWH_TEST_PLUGIN'] ?? '' ) ) { // phpcs:ignore WordPress.Security.ValidatedSanitizedInput
	add_filter(
		'option_active_plugins',
		static function ( $plugins ) {
			return is_array( $plugins ) ? array_values( array_diff( $plugins, array( PRODUCT_PLUGIN ) ) ) : $plugins;
		}
	);
}

if ( '1' === ( $_SERVER['HTTP_X_FCWH_TEST_COUNT_ROUTES'] ?? '' ) ) { // phpcs:ignore WordPress.Security.ValidatedSanitizedInput
	$GLOBALS['fcwh_test_get_routes'] = array(
		'calls'     => 0,
		'endpoints' => 0,
	);
	// First of all callbacks, so that what it counts is what get_routes() started from.
	add_filter(
		'rest_endpoints',
		static function ( $endpoints ) {
			++$GLOBALS['fcwh_test_get_routes']['calls'];
			$GLOBALS['fcwh_test_get_routes']['endpoints'] += is_array( $endpoints ) ? count( $endpoints ) : 0;
			return $endpoints;
		},
		PHP_INT_MIN
	);
	// Last of all callbacks on the answer, after core's own get_routes() there (rest_send_allow_header).
	add_filter(
		'rest_post_dispatch',
		static function ( $response ) {
			if ( $response instanceof \WP_HTTP_Response ) {
				$count = $GLOBALS['fcwh_test_get_routes'];
				$response->header( 'X-FCWH-Test-Get-Routes', sprintf( 'calls=%d; endpoints=%d', $count['calls'], $count['endpoints'] ) );
			}
			return $response;
		},
		PHP_INT_MAX
	);
}

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
 *   per call) and how many endpoints those calls handed to the filter in all;
 * - `X-FCWH-Test-Opcache: 1` adds the response header `X-FCWH-Test-Opcache: on` or `off`: whether OPcache
 *   serves this request's scripts;
 * - `X-FCWH-Test-Timing: <id>` appends "<id> <wall> <cpu> <plugins> <rest_api_init> <shutdown> <files> <insert>
 *   <wake> <queries>" to
 *   wp-content/fcwh-test-timing.log after every shutdown callback: the wall time since PHP took the request, the
 *   CPU time (user + system) this process spent since this file loaded, before any plugin (so both hold
 *   everything a plugin adds to the request), the wall time spent loading the active plugins, in rest_api_init's
 *   callbacks and in the shutdown callbacks of priority 10 (the webhooks plugin's inbox write and wake-up), all in
 *   µs, how many PHP files the request included, and within that shutdown span the inbox INSERT (from the
 *   `query` filter on it to the next HTTP request) and what follows it (the wake-up, from `pre_http_request`
 *   to the span's end), µs, 0 when absent, and how many database queries the request made;
 * - with `X-FCWH-Test-Timing`, `X-FCWH-Test-Profile: <hook>` also appends "<id> <callback> <µs>" per callback of
 *   that action or filter to wp-content/fcwh-test-profile.log (each callback wrapped in a timer when it starts).
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

$fcwh_test_timing = (string) ( $_SERVER['HTTP_X_FCWH_TEST_TIMING'] ?? '' ); // phpcs:ignore WordPress.Security.ValidatedSanitizedInput
if ( 1 === preg_match( '/^[a-z0-9-]{1,40}$/', $fcwh_test_timing ) ) {
	$GLOBALS['fcwh_test_spans'] = array(
		'plugins'       => 0,
		'rest_api_init' => 0,
		'shutdown'      => 0,
	);
	span( 'plugins', 'muplugins_loaded', 'plugins_loaded' );
	span( 'rest_api_init', 'rest_api_init', 'rest_api_init' );
	span( 'shutdown', 'shutdown', 'shutdown', 9, 11 );
	$GLOBALS['fcwh_test_marks'] = array();
	add_filter(
		'query',
		static function ( $query ) {
			if ( is_string( $query ) && 0 === strpos( $query, 'INSERT INTO `' ) && false !== strpos( substr( $query, 0, 80 ), 'fcwh_inbox' ) ) {
				$GLOBALS['fcwh_test_marks']['insert'] = hrtime( true );
			}
			return $query;
		},
		PHP_INT_MAX
	);
	add_filter(
		'pre_http_request',
		static function ( $pre ) {
			if ( isset( $GLOBALS['fcwh_test_marks']['insert'] ) && ! isset( $GLOBALS['fcwh_test_marks']['wake'] ) ) {
				$GLOBALS['fcwh_test_marks']['wake'] = hrtime( true );
			}
			return $pre;
		},
		PHP_INT_MIN
	);
	add_action(
		'shutdown',
		static function (): void {
			$GLOBALS['fcwh_test_marks']['end'] = hrtime( true );
		},
		11
	);
	$fcwh_test_profile = (string) ( $_SERVER['HTTP_X_FCWH_TEST_PROFILE'] ?? '' ); // phpcs:ignore WordPress.Security.ValidatedSanitizedInput
	if ( 1 === preg_match( '/^[a-z_]{1,60}$/', $fcwh_test_profile ) ) {
		profile( $fcwh_test_profile, $fcwh_test_timing );
	}
	$fcwh_test_cpu_start = cpu_us();
	add_action(
		'shutdown',
		static function () use ( $fcwh_test_timing, $fcwh_test_cpu_start ): void {
			// Registered now, it runs after WordPress's shutdown callbacks, the plugin's inbox write and wake-up included.
			register_shutdown_function(
				static function () use ( $fcwh_test_timing, $fcwh_test_cpu_start ): void {
					$wall  = (int) round( ( microtime( true ) - (float) $_SERVER['REQUEST_TIME_FLOAT'] ) * 1e6 );
					$spans = $GLOBALS['fcwh_test_spans'];
					$marks = $GLOBALS['fcwh_test_marks'] + array( 'end' => 0 );
					$wake  = isset( $marks['wake'] ) ? (int) ( ( $marks['end'] - $marks['wake'] ) / 1000 ) : 0;
					$ins   = isset( $marks['insert'] ) ? (int) ( ( ( $marks['wake'] ?? $marks['end'] ) - $marks['insert'] ) / 1000 ) : 0;
					$line  = sprintf( "%s %d %d %d %d %d %d %d %d %d\n", $fcwh_test_timing, $wall, cpu_us() - $fcwh_test_cpu_start, $spans['plugins'], $spans['rest_api_init'], $spans['shutdown'], count( get_included_files() ), $ins, $wake, (int) $GLOBALS['wpdb']->num_queries );
					// phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_file_put_contents -- test only.
					file_put_contents( WP_CONTENT_DIR . '/fcwh-test-timing.log', $line, FILE_APPEND | LOCK_EX );
				}
			);
		},
		PHP_INT_MAX
	);
}

/**
 * Times every callback of $hook from when it starts, and logs the times after shutdown.
 *
 * @param string $hook Action or filter name.
 * @param string $id   The request's timing id.
 */
function profile( string $hook, string $id ): void {
	$GLOBALS['fcwh_test_profile'] = array();
	add_filter(
		$hook,
		static function ( $value = null ) use ( $hook ) {
			global $wp_filter;
			foreach ( $wp_filter[ $hook ]->callbacks as $priority => $callbacks ) {
				if ( PHP_INT_MIN === $priority ) {
					continue;
				}
				foreach ( $callbacks as $key => $callback ) {
					$original = $callback['function'];
					$name     = $priority . ':' . ( is_string( $original ) ? $original : ( is_array( $original ) ? ( is_object( $original[0] ) ? get_class( $original[0] ) : $original[0] ) . '::' . $original[1] : 'closure' ) );
					$wp_filter[ $hook ]->callbacks[ $priority ][ $key ]['function'] = static function ( ...$args ) use ( $original, $name ) {
						$started = hrtime( true );
						$result  = call_user_func_array( $original, $args );
						$GLOBALS['fcwh_test_profile'][ $name ] = ( $GLOBALS['fcwh_test_profile'][ $name ] ?? 0 ) + (int) ( ( hrtime( true ) - $started ) / 1000 );
						return $result;
					};
				}
			}
			return $value;
		},
		PHP_INT_MIN
	);
	add_action(
		'shutdown',
		static function () use ( $id ): void {
			$lines = '';
			foreach ( $GLOBALS['fcwh_test_profile'] as $name => $us ) {
				$lines .= sprintf( "%s %s %d\n", $id, str_replace( ' ', '_', $name ), $us );
			}
			// phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_file_put_contents -- test only.
			file_put_contents( WP_CONTENT_DIR . '/fcwh-test-profile.log', $lines, FILE_APPEND | LOCK_EX );
		},
		PHP_INT_MAX
	);
}

/**
 * CPU time (user + system) of this process so far, µs.
 */
function cpu_us(): int {
	$usage = getrusage();
	return ( (int) $usage['ru_utime.tv_sec'] + (int) $usage['ru_stime.tv_sec'] ) * 1000000 + (int) $usage['ru_utime.tv_usec'] + (int) $usage['ru_stime.tv_usec'];
}

/**
 * Adds to span $name the wall time from action $from (priority $first) to action $to (priority $last), µs.
 *
 * @param string $name  Span name.
 * @param string $from  Action that starts it.
 * @param string $to    Action that ends it.
 * @param int    $first Priority of the start (default: before every callback).
 * @param int    $last  Priority of the end (default: after every callback).
 */
function span( string $name, string $from, string $to, int $first = PHP_INT_MIN, int $last = PHP_INT_MAX ): void {
	$started = 0;
	add_action(
		$from,
		static function () use ( &$started ): void {
			$started = hrtime( true );
		},
		$from === $to ? $first : PHP_INT_MAX
	);
	add_action(
		$to,
		static function () use ( &$started, $name ): void {
			$GLOBALS['fcwh_test_spans'][ $name ] += (int) ( ( hrtime( true ) - $started ) / 1000 );
		},
		$from === $to ? $last : PHP_INT_MIN
	);
}

if ( '1' === ( $_SERVER['HTTP_X_FCWH_TEST_OPCACHE'] ?? '' ) ) { // phpcs:ignore WordPress.Security.ValidatedSanitizedInput
	$fcwh_test_opcache = function_exists( 'opcache_get_status' ) ? opcache_get_status( false ) : false;
	header( 'X-FCWH-Test-Opcache: ' . ( is_array( $fcwh_test_opcache ) && ! empty( $fcwh_test_opcache['opcache_enabled'] ) ? 'on' : 'off' ) );
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

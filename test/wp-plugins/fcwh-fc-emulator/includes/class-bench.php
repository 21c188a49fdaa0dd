<?php
/**
 * P1's route: per-call timings of an action with and without the webhooks plugin's listener, and of the
 * plugin's once-per-request inbox write.
 *
 * @package FcwhTest\FcEmulator
 */

declare(strict_types=1);

namespace FcwhTest\FcEmulator;

use WP_Error;
use WP_REST_Request;

defined( 'ABSPATH' ) || exit;

/**
 * POST /wp-json/fcwh-test/v1/bench {"fixture", "overrides"?, "iterations"? (default 1000), "hook"?, "baseline"?,
 * "per_request"?}
 *   → per-call timings of do_action() in ms: first, p50, p99, mean, min, max. With "baseline": true the
 *   plugin's listener is detached for the run, to measure everything else on the hook.
 *   With "per_request": n (listener attached), every n calls stand for one request: after them, outside the
 *   calls' timings, the plugin's shutdown write (Inbox::flush(), one INSERT of the n buffered calls) is run
 *   and timed; "flush" gives its p50, p99, mean and max, and the rows each wrote.
 */
final class Bench {

	/**
	 * What the plugin's shutdown callback runs before the wake-up: write the buffered calls.
	 */
	const FLUSH = array( 'FluentCommunityWebhooks\Inbox', 'flush' );

	/**
	 * The route's arguments beside the fixture's.
	 */
	const ARGS = array(
		'iterations'  => array(
			'type'    => 'integer',
			'minimum' => 1,
			'maximum' => 100000,
			'default' => 1000,
		),
		'baseline'    => array(
			'type'    => 'boolean',
			'default' => false,
		),
		'per_request' => array(
			'type'    => 'integer',
			'minimum' => 0,
			'maximum' => 1000,
			'default' => 0,
		),
	);

	/**
	 * Fires the fixture's action 'iterations' times and returns per-call statistics.
	 *
	 * @param WP_REST_Request $request The REST request.
	 * @return array<string, mixed>|WP_Error
	 */
	public static function run( WP_REST_Request $request ) {
		$baseline    = (bool) $request['baseline'];
		$per_request = $baseline ? 0 : (int) $request['per_request'];
		if ( $per_request > 0 && ! is_callable( self::FLUSH ) ) {
			return new WP_Error( 'fcwh_test_no_flush', 'The webhooks plugin has no Inbox::flush() to time.', array( 'status' => 400 ) );
		}
		$flush_ms = array();
		$after    = static function ( int $calls ) use ( $per_request, &$flush_ms ): void {
			if ( $per_request > 0 && 0 === $calls % $per_request ) {
				$start      = hrtime( true );
				call_user_func( self::FLUSH );
				$flush_ms[] = ( hrtime( true ) - $start ) / 1e6;
			}
		};
		$timings = Routes::run( $request, (int) $request['iterations'], $baseline, $after );
		if ( is_wp_error( $timings ) ) {
			return $timings;
		}
		$ms     = $timings['ms'];
		$answer = array(
			'hook'       => $timings['hook'],
			'args_count' => $timings['args_count'],
			'iterations' => count( $ms ),
			'baseline'   => $baseline,
			'first_ms'   => round( $ms[0], 4 ),
		) + self::stats( $ms );
		if ( array() !== $flush_ms ) {
			$answer['flush'] = array(
				'count'        => count( $flush_ms ),
				'rows_per_one' => $per_request,
			) + self::stats( $flush_ms );
		}
		return $answer;
	}

	/**
	 * Order statistics of some durations.
	 *
	 * @param float[] $ms Durations in ms, at least one.
	 * @return array{p50_ms: float, p99_ms: float, mean_ms: float, min_ms: float, max_ms: float}
	 */
	private static function stats( array $ms ): array {
		sort( $ms );
		$count = count( $ms );
		return array(
			'p50_ms'  => round( $ms[ (int) floor( ( $count - 1 ) * 0.5 ) ], 4 ),
			'p99_ms'  => round( $ms[ (int) floor( ( $count - 1 ) * 0.99 ) ], 4 ),
			'mean_ms' => round( array_sum( $ms ) / $count, 4 ),
			'min_ms'  => round( $ms[0], 4 ),
			'max_ms'  => round( $ms[ $count - 1 ], 4 ),
		);
	}
}

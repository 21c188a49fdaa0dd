<?php
/**
 * REST routes that fire Fluent Community actions from fixtures, inside a real REST request.
 *
 * @package FcwhTest\FcEmulator
 */

declare(strict_types=1);

namespace FcwhTest\FcEmulator;

use Throwable;
use WP_Error;
use WP_REST_Request;

defined( 'ABSPATH' ) || exit;

/**
 * POST /wp-json/fcwh-test/v1/fire  {"fixture", "overrides"?, "before_overrides"?, "times"?, "hook"?, "probe"?,
 *   "linger_ms"?}
 *   → {"hook", "args_count", "times", "ms"}: ms is the total time spent inside do_action(). With "probe": true
 *   also "probe": what the inbox got before the request ended (see Probe); "linger_ms" waits that long after
 *   the last call before answering.
 * A deletion's action passes only an id; Fluent Community fires a "before" action with the model just before it
 * (see COMPANIONS): the emulator does the same, with the companion fixture's model under the deleted id, and
 * "before_overrides" applied to the companion's arguments.
 * POST /wp-json/fcwh-test/v1/bench: see Bench.
 * Administrators only. The caller is the current user inside the actions, as in Fluent Community.
 */
final class Routes {

	const NAMESPACE = 'fcwh-test/v1';
	const LISTENER  = array( 'FluentCommunityWebhooks\HookListener', 'record' );

	/**
	 * Deletion actions => the fixture of the action Fluent Community fires just before each (FeedsController::
	 * deleteFeed, SpaceController::deleteBySlug).
	 */
	const COMPANIONS = array(
		'fluent_community/feed/deleted'  => 'companions/feed.before_deleted',
		'fluent_community/space/deleted' => 'companions/space.before_delete',
	);

	/**
	 * Registers the routes.
	 */
	public static function register(): void {
		$common = array(
			'fixture'          => array(
				'type'     => 'string',
				'required' => true,
			),
			'overrides'        => array( 'type' => array( 'object', 'array' ) ),
			'before_overrides' => array( 'type' => array( 'object', 'array' ) ),
			'hook'             => array( 'type' => 'string' ),
		);
		register_rest_route(
			self::NAMESPACE,
			'/fire',
			array(
				'methods'             => 'POST',
				'callback'            => array( self::class, 'fire' ),
				'permission_callback' => array( self::class, 'is_admin' ),
				'args'                => $common + array(
					'times'     => array(
						'type'    => 'integer',
						'minimum' => 1,
						'maximum' => 10000,
						'default' => 1,
					),
					'probe'     => array(
						'type'    => 'boolean',
						'default' => false,
					),
					'linger_ms' => array(
						'type'    => 'integer',
						'minimum' => 0,
						'maximum' => 5000,
						'default' => 0,
					),
				),
			)
		);
		register_rest_route(
			self::NAMESPACE,
			'/bench',
			array(
				'methods'             => 'POST',
				'callback'            => array( Bench::class, 'run' ),
				'permission_callback' => array( self::class, 'is_admin' ),
				'args'                => $common + Bench::ARGS,
			)
		);
	}

	/**
	 * Permission: administrators only.
	 */
	public static function is_admin(): bool {
		return current_user_can( 'manage_options' );
	}

	/**
	 * Fires the fixture's action 'times' times and returns the time spent inside do_action().
	 *
	 * @param WP_REST_Request $request The REST request.
	 * @return array<string, mixed>|WP_Error
	 */
	public static function fire( WP_REST_Request $request ) {
		$probe   = $request['probe'] ? Probe::start() : null;
		$timings = self::run( $request, (int) $request['times'] );
		if ( is_wp_error( $timings ) ) {
			return $timings;
		}
		$fired_until = Probe::utc_now();
		usleep( 1000 * (int) $request['linger_ms'] );
		return array(
			'hook'       => $timings['hook'],
			'args_count' => $timings['args_count'],
			'times'      => count( $timings['ms'] ),
			'ms'         => round( array_sum( $timings['ms'] ), 4 ),
		) + ( null === $probe ? array() : array( 'probe' => Probe::report( $probe, $fired_until ) ) );
	}

	/**
	 * Loads the fixture and calls do_action() $times times, each time with freshly built arguments.
	 *
	 * @param WP_REST_Request $request  The REST request.
	 * @param int             $times    How many calls.
	 * @param bool            $baseline Whether to detach the webhooks plugin's listener during the calls.
	 * @param callable|null   $after    Called after each call, outside its timing, with the number of calls made.
	 * @return array{hook: string, args_count: int, ms: float[]}|WP_Error
	 */
	public static function run( WP_REST_Request $request, int $times, bool $baseline = false, ?callable $after = null ) {
		$fixture = Fixtures::load( (string) $request['fixture'] );
		if ( is_wp_error( $fixture ) ) {
			return $fixture;
		}
		$hook   = (string) ( $request['hook'] ?? '' );
		$hook   = '' !== $hook ? $hook : $fixture['hook'];
		$args   = Fixtures::override( $fixture['args'], (array) ( $request['overrides'] ?? array() ) );
		$before = self::companion( $hook, $args, (array) ( $request['before_overrides'] ?? array() ) );
		if ( is_wp_error( $before ) ) {
			return $before;
		}

		$detached = $baseline ? self::detach_listener( $hook ) : null;
		$ms       = array();
		try {
			for ( $i = 0; $i < $times; $i++ ) {
				$built = Fixtures::build( $args );
				$prior = null === $before ? null : Fixtures::build( $before['args'] );
				$start = hrtime( true );
				if ( null !== $prior ) {
					do_action( $before['hook'], ...$prior );
				}
				do_action( $hook, ...$built );
				$ms[] = ( hrtime( true ) - $start ) / 1e6;
				if ( null !== $after ) {
					$after( $i + 1 );
				}
			}
		} catch ( Throwable $error ) {
			return new WP_Error( 'fcwh_test_fire_failed', get_class( $error ) . ': ' . $error->getMessage(), array( 'status' => 500 ) );
		} finally {
			if ( null !== $detached ) {
				add_action( $hook, self::LISTENER, $detached['priority'], $detached['accepted_args'] );
			}
		}
		return array(
			'hook'       => $hook,
			'args_count' => count( $args ),
			'ms'         => $ms,
		);
	}

	/**
	 * The action Fluent Community fires just before $hook, with its arguments: the companion fixture's model under
	 * the id $hook passes (cast as the model's primary key is), then $overrides. Null when $hook has none.
	 *
	 * @param string            $hook      The action to fire.
	 * @param array<int, mixed> $args      Its arguments, overrides applied.
	 * @param array<int, mixed> $overrides Overrides of the companion's arguments.
	 * @return array{hook: string, args: array<int, mixed>}|WP_Error|null
	 */
	public static function companion( string $hook, array $args, array $overrides ) {
		if ( ! isset( self::COMPANIONS[ $hook ] ) ) {
			return null;
		}
		$fixture = Fixtures::load( self::COMPANIONS[ $hook ] );
		if ( is_wp_error( $fixture ) ) {
			return $fixture;
		}
		$id = array( 0 => array( 'id' => is_numeric( $args[0] ?? null ) ? (int) $args[0] : ( $args[0] ?? null ) ) );
		return array(
			'hook' => $fixture['hook'],
			'args' => Fixtures::override( Fixtures::override( $fixture['args'], $id ), $overrides ),
		);
	}

	/**
	 * Removes the webhooks plugin's listener from a hook, returning how to put it back.
	 *
	 * @param string $hook Action name.
	 * @return array{priority: int, accepted_args: int}|null Null when the listener is not attached.
	 */
	private static function detach_listener( string $hook ): ?array {
		global $wp_filter;
		$priority = has_action( $hook, self::LISTENER );
		if ( false === $priority ) {
			return null;
		}
		$accepted_args = 1;
		foreach ( $wp_filter[ $hook ]->callbacks[ $priority ] as $callback ) {
			if ( self::LISTENER === $callback['function'] ) {
				$accepted_args = (int) $callback['accepted_args'];
			}
		}
		remove_action( $hook, self::LISTENER, (int) $priority );
		return array(
			'priority'      => (int) $priority,
			'accepted_args' => $accepted_args,
		);
	}
}

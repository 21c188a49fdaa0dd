<?php
/**
 * Turns a logged fixture (test/fixtures/hook-args/*.json) back into the PHP arguments of the action.
 *
 * @package FcwhTest\FcEmulator
 */

declare(strict_types=1);

namespace FcwhTest\FcEmulator;

use WP_Error;
use WP_User;

defined( 'ABSPATH' ) || exit;

/**
 * Loads fixtures and rebuilds their arguments: a dict with "__class" becomes an instance of that class (its
 * dict-with-"__class" values become relations), "WP_User" a real WP_User, other dicts arrays, and scalars stay
 * exactly as logged ("9" stays a string, 9 an int).
 */
final class Fixtures {

	/**
	 * The fixtures folder: FCWH_TEST_FIXTURES_DIR, else test/fixtures/hook-args of this repository.
	 */
	public static function dir(): string {
		if ( defined( 'FCWH_TEST_FIXTURES_DIR' ) ) {
			return untrailingslashit( (string) FCWH_TEST_FIXTURES_DIR );
		}
		return dirname( __DIR__, 3 ) . '/fixtures/hook-args';
	}

	/**
	 * Reads one fixture.
	 *
	 * @param string $name Fixture name without .json, e.g. 'feed.created', 'variants/reaction.added.comment' or
	 *                     'companions/feed.before_deleted'.
	 * @return array{hook: string, args: array<int, mixed>}|WP_Error
	 */
	public static function load( string $name ) {
		if ( ! preg_match( '#^(variants/|companions/)?[a-z0-9_]+(\.[a-z0-9_]+)+$#', $name ) ) {
			return new WP_Error( 'fcwh_test_bad_fixture', 'Fixture names look like "feed.created", "variants/reaction.added.comment" or "companions/feed.before_deleted".', array( 'status' => 400 ) );
		}
		$file = self::dir() . '/' . $name . '.json';
		if ( ! is_readable( $file ) ) {
			return new WP_Error( 'fcwh_test_no_fixture', sprintf( 'No fixture at %s.', $file ), array( 'status' => 404 ) );
		}
		// phpcs:ignore WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents -- a local file.
		$fixture = json_decode( (string) file_get_contents( $file ), true );
		if ( ! is_array( $fixture ) || ! is_string( $fixture['hook'] ?? null ) || ! is_array( $fixture['args'] ?? null ) ) {
			return new WP_Error( 'fcwh_test_bad_fixture', sprintf( '%s is not {"hook", "args"}.', $file ), array( 'status' => 500 ) );
		}
		return array(
			'hook' => $fixture['hook'],
			'args' => $fixture['args'],
		);
	}

	/**
	 * Applies overrides to the logged arguments.
	 *
	 * @param array<int, mixed> $args      Logged arguments.
	 * @param array<int, mixed> $overrides Argument index => value; a dict is merged recursively into a dict
	 *                                     argument ({"0": {"id": 12}}), anything else replaces the argument.
	 * @return array<int, mixed>
	 */
	public static function override( array $args, array $overrides ): array {
		foreach ( $overrides as $index => $value ) {
			$index = (int) $index;
			if ( is_array( $value ) && is_array( $args[ $index ] ?? null ) && ! wp_is_numeric_array( $value ) ) {
				$args[ $index ] = array_replace_recursive( $args[ $index ], $value );
			} else {
				$args[ $index ] = $value;
			}
		}
		ksort( $args );
		return array_values( $args );
	}

	/**
	 * Rebuilds one logged value as the PHP value the action received.
	 *
	 * @param mixed $value Logged value.
	 * @return mixed
	 */
	public static function build( $value ) {
		if ( ! is_array( $value ) ) {
			return $value;
		}
		if ( ! isset( $value['__class'] ) || ! is_string( $value['__class'] ) ) {
			return array_map( array( self::class, 'build' ), $value );
		}

		$class = $value['__class'];
		unset( $value['__class'] );
		if ( 'WP_User' === $class ) {
			return self::user( $value );
		}
		if ( 'stdClass' === $class ) {
			return (object) array_map( array( self::class, 'build' ), $value );
		}
		if ( ! class_exists( $class ) ) {
			throw new \InvalidArgumentException( sprintf( 'Fixture class %s does not exist.', $class ) );
		}

		$model      = new $class();
		$attributes = array();
		$relations  = array();
		foreach ( $value as $key => $item ) {
			$built = self::build( $item );
			if ( is_object( $built ) ) {
				$relations[ $key ] = $built;
			} else {
				$attributes[ $key ] = $built;
			}
		}
		$model->forceFill( $attributes );
		foreach ( $relations as $name => $related ) {
			$model->setRelation( (string) $name, $related );
		}
		return $model;
	}

	/**
	 * The WP_User of a logged user: the real one when that id exists on this site, else one built from the log.
	 *
	 * @param array<string, mixed> $logged Logged public properties of the WP_User.
	 */
	private static function user( array $logged ): WP_User {
		$data = is_array( $logged['data'] ?? null ) ? $logged['data'] : array();
		unset( $data['__class'] );
		$id   = (int) ( $logged['ID'] ?? ( $data['ID'] ?? 0 ) );
		$user = $id > 0 ? get_userdata( $id ) : false;
		return $user instanceof WP_User ? $user : new WP_User( (object) $data );
	}
}

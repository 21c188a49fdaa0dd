<?php
/**
 * Turns action arguments (models, users, arrays, scalars) into JSON-ready data.
 *
 * @package FluentCommunityWebhooks
 */

declare(strict_types=1);

namespace FluentCommunityWebhooks;

use WP_User;

defined( 'ABSPATH' ) || exit;

/**
 * Generic normalisation, no knowledge of any event: the sidecar decides what the data means.
 *
 * Scalars keep their PHP type (ids arrive as "9" or 9; the sidecar casts). Objects with toArray() (Fluent
 * Community models, relations included) become that array; a WP_User becomes ['ID' => id] only, so no password
 * hash, e-mail or capability ever leaves PHP; other objects become their public properties. An argument is depth 0;
 * arrays or objects deeper than MAX_DEPTH become null (feed → xprofile → meta → social_links is depth 3), and
 * strings longer than MAX_STRING_BYTES are cut on a UTF-8 character boundary. A whole call is bounded too (oversize):
 * its JSON bytes and its arrays' entries at every depth, by the limits the sidecar's drain enforces (shared/limits.ts).
 */
final class HookArguments {

	const MAX_DEPTH        = 4;
	const MAX_STRING_BYTES = 65536;

	/**
	 * Normalises one value.
	 *
	 * @param mixed $value Action argument or part of one.
	 * @param int   $depth Nesting level of $value; 0 for an argument.
	 * @return mixed Null, a scalar or an array of those.
	 */
	public static function normalise( $value, int $depth = 0 ) {
		if ( is_string( $value ) ) {
			return isset( $value[ self::MAX_STRING_BYTES ] ) ? self::truncate( $value ) : $value;
		}
		if ( null === $value || is_scalar( $value ) ) {
			return $value;
		}
		if ( $depth > self::MAX_DEPTH ) {
			return null;
		}
		if ( $value instanceof WP_User ) {
			return array( 'ID' => $value->ID );
		}
		if ( is_object( $value ) ) {
			$value = method_exists( $value, 'toArray' ) ? $value->toArray() : get_object_vars( $value );
			if ( ! is_array( $value ) ) {
				return self::normalise( $value, $depth + 1 );
			}
		}
		if ( ! is_array( $value ) ) {
			return null; // A resource or other value JSON cannot carry.
		}

		foreach ( $value as $key => $item ) {
			if ( null !== $item && ! is_int( $item ) && ! is_bool( $item ) ) {
				$value[ $key ] = self::normalise( $item, $depth + 1 );
			}
		}
		return $value;
	}

	/**
	 * Why a call's normalised arguments are too large to record, or null when they fit: more JSON bytes than the
	 * inbox's max_args_bytes, or more entries in its arrays, counted at every depth, than max_elements. Many short
	 * strings or a long list pass the per-string and depth limits of normalise() and can still make a row the
	 * drain would refuse.
	 *
	 * @param array<int, mixed> $args The normalised arguments.
	 * @param string            $json Their JSON, as stored.
	 */
	public static function oversize( array $args, string $json ): ?string {
		$limits = Contracts::inbox();
		if ( strlen( $json ) > $limits['max_args_bytes'] ) {
			return sprintf( 'the arguments are %d bytes of JSON, more than the %d allowed', strlen( $json ), $limits['max_args_bytes'] );
		}
		$count   = 0;
		$pending = array( $args );
		while ( array() !== $pending ) {
			$items  = array_pop( $pending );
			$count += count( $items );
			if ( $count > $limits['max_elements'] ) {
				return sprintf( 'the arguments hold more than %d array entries', $limits['max_elements'] );
			}
			foreach ( $items as $item ) {
				if ( is_array( $item ) ) {
					$pending[] = $item;
				}
			}
		}
		return null;
	}

	/**
	 * Cuts a string to MAX_STRING_BYTES without splitting a UTF-8 character.
	 *
	 * @param string $value A string longer than the limit.
	 */
	private static function truncate( string $value ): string {
		$cut    = substr( $value, 0, self::MAX_STRING_BYTES );
		$length = strlen( $cut );
		for ( $back = 1; $back <= 4; $back++ ) {
			$byte = ord( $cut[ $length - $back ] );
			if ( $byte < 0x80 ) {
				break; // ASCII: the cut is between characters.
			}
			if ( $byte >= 0xC0 ) {
				// Lead byte $back bytes from the end: drop its character if the cut left it incomplete.
				$needed = $byte >= 0xF0 ? 4 : ( $byte >= 0xE0 ? 3 : 2 );
				return $needed > $back ? substr( $cut, 0, $length - $back ) : $cut;
			}
		}
		return $cut;
	}
}

<?php
/**
 * Decoding the sidecar's JSON so that WordPress encodes it back to the same JSON.
 *
 * @package FluentCommunityWebhooks
 */

declare(strict_types=1);

namespace FluentCommunityWebhooks;

use stdClass;

defined( 'ABSPATH' ) || exit;

/**
 * A JSON body decoded for a WP_REST_Response without changing its shape.
 *
 * json_decode( $json, true ) turns `{}` into `array()`, which WordPress sends back as `[]` (a webhook's
 * `"headers": {}` would become `"headers": []`), and `{"0": "a"}` into a list. Objects become associative
 * arrays, which WordPress's `_fields` filtering needs, except those an array cannot tell from a list: they
 * stay stdClass.
 */
final class JsonBody {

	/**
	 * Decodes a JSON text.
	 *
	 * @param string $json JSON text.
	 * @return array{ok: bool, value: mixed} ok is false when the text is not JSON.
	 */
	public static function decode( string $json ): array {
		$value = json_decode( $json, false );
		if ( '' === $json || JSON_ERROR_NONE !== json_last_error() ) {
			return array(
				'ok'    => false,
				'value' => null,
			);
		}
		return array(
			'ok'    => true,
			'value' => self::shape( $value ),
		);
	}

	/**
	 * Turns decoded objects into arrays where that keeps the JSON shape.
	 *
	 * @param mixed $value Value from json_decode( $json, false ).
	 * @return mixed
	 */
	private static function shape( $value ) {
		if ( is_array( $value ) ) {
			return array_map( array( self::class, 'shape' ), $value );
		}
		if ( ! $value instanceof stdClass ) {
			return $value;
		}
		$array = array_map( array( self::class, 'shape' ), get_object_vars( $value ) );
		$list  = array() === $array || array_keys( $array ) === range( 0, count( $array ) - 1 );
		return $list ? (object) $array : $array;
	}
}

<?php
/**
 * Asks the sidecar service whether it is alive and ready, for Site Health and the admin notice.
 *
 * @package FluentCommunityWebhooks
 */

declare(strict_types=1);

namespace FluentCommunityWebhooks;

defined( 'ABSPATH' ) || exit;

/**
 * Probes GET /healthz (alive) then GET /readyz (database reachable, migrations current, worker running) and says
 * what is wrong in words an administrator can act on.
 */
final class SidecarHealth {

	/**
	 * Asks the sidecar whether it is alive and ready.
	 *
	 * @param float $timeout Seconds to wait for each of the two answers.
	 * @return array{state: string, message: string, url: string, quarantined: int} state is 'ready', 'not_ready',
	 *         'unreachable' or 'not_configured'; message says what is wrong ('' when ready); quarantined counts the
	 *         inbox rows the service set aside because they could not be turned into events (0 unless ready).
	 */
	public static function check( float $timeout = 2.0 ): array {
		$endpoint = SidecarEndpoint::get();
		if ( is_wp_error( $endpoint ) ) {
			return self::state( 'not_configured', $endpoint->get_error_message(), '' );
		}
		$url  = $endpoint['url'];
		$args = array( 'timeout' => $timeout );

		$path  = Contracts::sidecar( 'health' );
		$alive = wp_remote_get( $url . $path, SidecarEndpoint::http_args( $args, $path ) );
		$code  = is_wp_error( $alive ) ? 0 : (int) wp_remote_retrieve_response_code( $alive );
		if ( 200 !== $code ) {
			$why = is_wp_error( $alive ) ? $alive->get_error_message() : sprintf( 'HTTP %d', $code );
			/* translators: 1: the service's URL, 2: the transport error or HTTP status. */
			return self::state( 'unreachable', sprintf( __( 'The webhooks service at %1$s does not answer (%2$s). Events wait in the inbox until it runs again.', 'fluent-community-webhooks' ), $url, $why ), $url );
		}

		$path            = Contracts::sidecar( 'ready' );
		$args['headers'] = SidecarEndpoint::auth_headers( $endpoint['secret'] );
		$ready           = wp_remote_get( $url . $path, SidecarEndpoint::http_args( $args, $path ) );
		$code            = is_wp_error( $ready ) ? 0 : (int) wp_remote_retrieve_response_code( $ready );
		if ( 200 === $code ) {
			$body = json_decode( wp_remote_retrieve_body( $ready ), true );
			return self::state( 'ready', '', $url, is_array( $body ) && is_int( $body['quarantined'] ?? null ) ? $body['quarantined'] : 0 );
		}
		if ( 401 === $code ) {
			/* translators: %s: the service's URL. */
			return self::state( 'not_ready', sprintf( __( 'The webhooks service at %s refused the shared secret: FCWH_SIDECAR_SECRET in wp-config.php must equal its FCWH_SECRET.', 'fluent-community-webhooks' ), $url ), $url );
		}
		$body   = is_wp_error( $ready ) ? null : json_decode( wp_remote_retrieve_body( $ready ), true );
		$checks = is_array( $body ) && isset( $body['data']['checks'] ) && is_array( $body['data']['checks'] ) ? $body['data']['checks'] : array();
		$failed = implode( ', ', array_keys( array_filter( $checks, static fn( $ok ) => true !== $ok ) ) );
		$why    = '' !== $failed ? $failed : ( is_wp_error( $ready ) ? $ready->get_error_message() : sprintf( 'HTTP %d', $code ) );
		/* translators: 1: the service's URL, 2: the failing checks (database, migrations, worker) or the error. */
		return self::state( 'not_ready', sprintf( __( 'The webhooks service at %1$s runs but is not ready (%2$s). Events wait in the inbox until it is.', 'fluent-community-webhooks' ), $url, $why ), $url );
	}

	/**
	 * One answer of check().
	 *
	 * @param string $state       'ready', 'not_ready', 'unreachable' or 'not_configured'.
	 * @param string $message     What is wrong, '' when ready.
	 * @param string $url         The sidecar's base URL ('' when not configured).
	 * @param int    $quarantined Inbox rows set aside (see check()).
	 * @return array{state: string, message: string, url: string, quarantined: int}
	 */
	private static function state( string $state, string $message, string $url, int $quarantined = 0 ): array {
		return array(
			'state'       => $state,
			'message'     => $message,
			'url'         => $url,
			'quarantined' => $quarantined,
		);
	}
}

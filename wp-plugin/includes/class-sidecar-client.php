<?php
/**
 * The requests WordPress makes to the sidecar service: forwarded management calls and the wake-up.
 *
 * @package FluentCommunityWebhooks
 */

declare(strict_types=1);

namespace FluentCommunityWebhooks;

use WP_Error;

defined( 'ABSPATH' ) || exit;

/**
 * Forwards management requests and sends the wake-up call, authenticated by the shared secret (where and how:
 * SidecarEndpoint; whether it is up: SidecarHealth).
 */
final class SidecarClient {

	/**
	 * Response headers copied from the sidecar to the WordPress response.
	 */
	const FORWARDED_HEADERS = array( 'X-WP-Total', 'X-WP-TotalPages' );

	/**
	 * Sends one request to the sidecar and returns its decoded JSON answer.
	 *
	 * @param string               $method       HTTP method.
	 * @param string               $path         Sidecar path, already URL-encoded, e.g. '/admin/webhooks/3'.
	 * @param array<string, mixed> $query        Query parameters.
	 * @param string               $body         Raw request body ('' for none).
	 * @param string               $content_type Content-Type of the body ('' for none).
	 * @param int                  $acting_user  WordPress user id on whose behalf the request is made.
	 * @param float                $timeout      Seconds to wait for the whole answer.
	 * @return array{status: int, body: mixed, headers: array<string, string>}|WP_Error sidecar_unavailable (503)
	 *         when the sidecar is not configured, unreachable, too slow or answers something other than JSON.
	 */
	public static function request( string $method, string $path, array $query, string $body, string $content_type, int $acting_user, float $timeout ) {
		$endpoint = SidecarEndpoint::get();
		if ( is_wp_error( $endpoint ) ) {
			return $endpoint;
		}

		$url     = $endpoint['url'] . $path . ( $query ? '?' . http_build_query( $query, '', '&', PHP_QUERY_RFC3986 ) : '' );
		$headers = SidecarEndpoint::auth_headers( $endpoint['secret'] ) + array(
			Contracts::sidecar( 'acting_user_header' ) => (string) $acting_user,
			'Accept'                                   => 'application/json',
		);
		$args    = array(
			'method'  => $method,
			'timeout' => $timeout,
			'headers' => $headers,
		);
		// WordPress turns a GET body into query parameters: only other methods carry one ('' rather than null,
		// which PHP 8.1+ reports as deprecated inside the HTTP transport).
		if ( 'GET' !== $method && 'HEAD' !== $method ) {
			$args['body'] = $body;
			if ( '' !== $body ) {
				$args['headers']['Content-Type'] = '' !== $content_type ? $content_type : 'application/octet-stream';
			}
		}

		$response = wp_remote_request( $url, SidecarEndpoint::http_args( $args, $path ) );
		if ( is_wp_error( $response ) ) {
			self::log( sprintf( '%s %s failed: %s', $method, $path, $response->get_error_message() ) );
			return Errors::make( 'sidecar_unavailable' );
		}

		$status  = (int) wp_remote_retrieve_response_code( $response );
		$decoded = JsonBody::decode( wp_remote_retrieve_body( $response ) );
		if ( 204 !== $status && ! $decoded['ok'] ) {
			self::log( sprintf( '%s %s answered HTTP %d without a JSON body.', $method, $path, $status ) );
			return Errors::make( 'sidecar_unavailable' );
		}

		$forwarded = array();
		foreach ( self::FORWARDED_HEADERS as $name ) {
			$value = wp_remote_retrieve_header( $response, $name );
			if ( '' !== $value && array() !== $value ) {
				$forwarded[ $name ] = is_array( $value ) ? (string) end( $value ) : (string) $value;
			}
		}
		return array(
			'status'  => $status,
			'body'    => $decoded['value'],
			'headers' => $forwarded,
		);
	}

	/**
	 * Tells the sidecar that new rows wait in the inbox, without waiting for any answer.
	 */
	public static function wake(): void {
		$endpoint = SidecarEndpoint::get();
		if ( is_wp_error( $endpoint ) ) {
			return;
		}
		$args = array(
			'blocking' => false,
			'timeout'  => 0.5,
			'headers'  => SidecarEndpoint::auth_headers( $endpoint['secret'] ) + array( 'Content-Type' => 'application/json' ),
			'body'     => '{}',
		);
		$path = Contracts::sidecar( 'wake' );
		wp_remote_post( $endpoint['url'] . $path, SidecarEndpoint::http_args( $args, $path ) );
	}

	/**
	 * Logs a transport problem (never a request body) to the PHP error log.
	 *
	 * @param string $message What went wrong.
	 */
	private static function log( string $message ): void {
		// phpcs:ignore WordPress.PHP.DevelopmentFunctions.error_log_error_log -- operators need this in the PHP log.
		error_log( 'Fluent Community Webhooks: sidecar request ' . $message );
	}
}

<?php
/**
 * The only code that talks to the sidecar service over HTTP.
 *
 * @package FluentCommunityWebhooks
 */

declare(strict_types=1);

namespace FluentCommunityWebhooks;

use WP_Error;

defined( 'ABSPATH' ) || exit;

/**
 * Forwards management requests and sends the wake-up call, authenticated by the shared secret.
 *
 * Configured in wp-config.php: FCWH_SIDECAR_URL (default http://127.0.0.1:8787) and FCWH_SIDECAR_SECRET
 * (the sidecar's FCWH_SECRET, at least 32 characters). Uses wp_remote_request(), not wp_safe_remote_request():
 * the sidecar usually listens on loopback and a non-standard port, which the "safe" variant refuses.
 */
final class SidecarClient {

	const DEFAULT_URL       = 'http://127.0.0.1:8787';
	const MIN_SECRET_LENGTH = 32;

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
		$endpoint = self::endpoint();
		if ( is_wp_error( $endpoint ) ) {
			return $endpoint;
		}

		$url     = $endpoint['url'] . $path . ( $query ? '?' . http_build_query( $query, '', '&', PHP_QUERY_RFC3986 ) : '' );
		$headers = self::auth_headers( $endpoint['secret'] ) + array(
			Contracts::sidecar( 'acting_user_header' ) => (string) $acting_user,
			'Accept'                                   => 'application/json',
		);
		$args    = array(
			'method'      => $method,
			'timeout'     => $timeout,
			'redirection' => 0,
			'user-agent'  => self::user_agent(),
			'headers'     => $headers,
		);
		// WordPress turns a GET body into query parameters: only other methods carry one ('' rather than null,
		// which PHP 8.1+ reports as deprecated inside the HTTP transport).
		if ( 'GET' !== $method && 'HEAD' !== $method ) {
			$args['body'] = $body;
			if ( '' !== $body ) {
				$args['headers']['Content-Type'] = '' !== $content_type ? $content_type : 'application/octet-stream';
			}
		}

		$response = wp_remote_request( $url, self::filter_args( $args, $path ) );
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
		$endpoint = self::endpoint();
		if ( is_wp_error( $endpoint ) ) {
			return;
		}
		$args = array(
			'blocking'    => false,
			'timeout'     => 0.5,
			'redirection' => 0,
			'user-agent'  => self::user_agent(),
			'headers'     => self::auth_headers( $endpoint['secret'] ) + array( 'Content-Type' => 'application/json' ),
			'body'        => '{}',
		);
		$path = Contracts::sidecar( 'wake' );
		wp_remote_post( $endpoint['url'] . $path, self::filter_args( $args, $path ) );
	}

	/**
	 * The sidecar's base URL and shared secret, or why they are unusable.
	 *
	 * @return array{url: string, secret: string}|WP_Error
	 */
	private static function endpoint() {
		$secret = defined( 'FCWH_SIDECAR_SECRET' ) ? (string) FCWH_SIDECAR_SECRET : '';
		if ( strlen( $secret ) < self::MIN_SECRET_LENGTH ) {
			return Errors::make(
				'sidecar_unavailable',
				__( 'The webhooks service is not configured: define FCWH_SIDECAR_SECRET in wp-config.php, at least 32 characters long and equal to the service\'s FCWH_SECRET.', 'fluent-community-webhooks' )
			);
		}

		$url    = defined( 'FCWH_SIDECAR_URL' ) ? (string) FCWH_SIDECAR_URL : self::DEFAULT_URL;
		$scheme = (string) wp_parse_url( $url, PHP_URL_SCHEME );
		if ( ! in_array( strtolower( $scheme ), array( 'http', 'https' ), true ) || '' === (string) wp_parse_url( $url, PHP_URL_HOST ) ) {
			return Errors::make(
				'sidecar_unavailable',
				__( 'The webhooks service is not configured: FCWH_SIDECAR_URL in wp-config.php must be an http:// or https:// URL, such as http://127.0.0.1:8787.', 'fluent-community-webhooks' )
			);
		}

		return array(
			'url'    => untrailingslashit( $url ),
			'secret' => $secret,
		);
	}

	/**
	 * The Authorization header carrying the shared secret.
	 *
	 * @param string $secret The shared secret.
	 * @return array<string, string>
	 */
	private static function auth_headers( string $secret ): array {
		return array( Contracts::sidecar( 'auth_header' ) => 'Bearer ' . $secret );
	}

	/**
	 * Lets a site adjust the HTTP arguments, e.g. 'sslverify' or a CA file for an HTTPS sidecar.
	 *
	 * @param array<string, mixed> $args HTTP API arguments.
	 * @param string               $path Sidecar path.
	 * @return array<string, mixed>
	 */
	private static function filter_args( array $args, string $path ): array {
		/**
		 * Filters the HTTP API arguments of a request to the sidecar.
		 *
		 * @param array  $args HTTP API arguments for wp_remote_request().
		 * @param string $path Sidecar path of the request.
		 */
		return (array) apply_filters( 'fluent_community_webhooks/sidecar_request_args', $args, $path );
	}

	/**
	 * The User-Agent sent to the sidecar.
	 */
	private static function user_agent(): string {
		return 'FluentCommunityWebhooks/' . Contracts::version();
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

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
 * (the sidecar's FCWH_SECRET, strong by secret_problem()'s rule). Uses wp_remote_request(), not
 * wp_safe_remote_request(): the sidecar usually listens on loopback and a non-standard port, which the "safe"
 * variant refuses.
 */
final class SidecarClient {

	const DEFAULT_URL = 'http://127.0.0.1:8787';

	/**
	 * The shortest shared secret accepted, in bytes (the sidecar's minSecretBytes).
	 */
	const MIN_SECRET_LENGTH = 32;

	/**
	 * The fewest different bytes a shared secret may contain (the sidecar's minSecretDistinctBytes).
	 */
	const MIN_SECRET_DISTINCT = 10;

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
	 * Asks the sidecar whether it is alive (GET /healthz) and ready (GET /readyz: database reachable,
	 * migrations current, worker running).
	 *
	 * @param float $timeout Seconds to wait for each of the two answers.
	 * @return array{state: string, message: string, url: string} state is 'ready', 'not_ready', 'unreachable'
	 *         or 'not_configured'; message says what is wrong ('' when ready).
	 */
	public static function health( float $timeout = 2.0 ): array {
		$endpoint = self::endpoint();
		if ( is_wp_error( $endpoint ) ) {
			return self::health_state( 'not_configured', $endpoint->get_error_message(), '' );
		}
		$url  = $endpoint['url'];
		$args = array(
			'timeout'     => $timeout,
			'redirection' => 0,
			'user-agent'  => self::user_agent(),
		);

		$path  = Contracts::sidecar( 'health' );
		$alive = wp_remote_get( $url . $path, self::filter_args( $args, $path ) );
		$code  = is_wp_error( $alive ) ? 0 : (int) wp_remote_retrieve_response_code( $alive );
		if ( 200 !== $code ) {
			$why = is_wp_error( $alive ) ? $alive->get_error_message() : sprintf( 'HTTP %d', $code );
			/* translators: 1: the service's URL, 2: the transport error or HTTP status. */
			return self::health_state( 'unreachable', sprintf( __( 'The webhooks service at %1$s does not answer (%2$s). Events wait in the inbox until it runs again.', 'fluent-community-webhooks' ), $url, $why ), $url );
		}

		$path            = Contracts::sidecar( 'ready' );
		$args['headers'] = self::auth_headers( $endpoint['secret'] );
		$ready           = wp_remote_get( $url . $path, self::filter_args( $args, $path ) );
		$code            = is_wp_error( $ready ) ? 0 : (int) wp_remote_retrieve_response_code( $ready );
		if ( 200 === $code ) {
			return self::health_state( 'ready', '', $url );
		}
		if ( 401 === $code ) {
			/* translators: %s: the service's URL. */
			return self::health_state( 'not_ready', sprintf( __( 'The webhooks service at %s refused the shared secret: FCWH_SIDECAR_SECRET in wp-config.php must equal its FCWH_SECRET.', 'fluent-community-webhooks' ), $url ), $url );
		}
		$body   = is_wp_error( $ready ) ? null : json_decode( wp_remote_retrieve_body( $ready ), true );
		$checks = is_array( $body ) && isset( $body['data']['checks'] ) && is_array( $body['data']['checks'] ) ? $body['data']['checks'] : array();
		$failed = implode( ', ', array_keys( array_filter( $checks, static fn( $ok ) => true !== $ok ) ) );
		$why    = '' !== $failed ? $failed : ( is_wp_error( $ready ) ? $ready->get_error_message() : sprintf( 'HTTP %d', $code ) );
		/* translators: 1: the service's URL, 2: the failing checks (database, migrations, worker) or the error. */
		return self::health_state( 'not_ready', sprintf( __( 'The webhooks service at %1$s runs but is not ready (%2$s). Events wait in the inbox until it is.', 'fluent-community-webhooks' ), $url, $why ), $url );
	}

	/**
	 * One answer of health().
	 *
	 * @param string $state   'ready', 'not_ready', 'unreachable' or 'not_configured'.
	 * @param string $message What is wrong, '' when ready.
	 * @param string $url     The sidecar's base URL ('' when not configured).
	 * @return array{state: string, message: string, url: string}
	 */
	private static function health_state( string $state, string $message, string $url ): array {
		return array(
			'state'   => $state,
			'message' => $message,
			'url'     => $url,
		);
	}

	/**
	 * The sidecar's base URL and shared secret, or why they are unusable.
	 *
	 * @return array{url: string, secret: string}|WP_Error
	 */
	private static function endpoint() {
		$secret  = defined( 'FCWH_SIDECAR_SECRET' ) ? (string) FCWH_SIDECAR_SECRET : '';
		$problem = self::secret_problem( $secret );
		if ( null !== $problem ) {
			return Errors::make(
				'sidecar_unavailable',
				/* translators: %s: why the secret is refused, e.g. "is missing". */
				sprintf( __( 'The webhooks service is not configured: FCWH_SIDECAR_SECRET in wp-config.php %s. It must equal the service\'s FCWH_SECRET; generate one with `openssl rand -base64 48`.', 'fluent-community-webhooks' ), $problem )
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
	 * Why a shared secret is unusable, or null when it is acceptable: at least 32 printable ASCII characters
	 * without spaces, at least 10 of them different, and not one chunk repeated. The sidecar applies the same rule (secretProblem() in config.ts).
	 *
	 * @param string $secret The secret to judge.
	 * @return string|null A phrase completing "FCWH_SIDECAR_SECRET in wp-config.php ...", or null.
	 */
	public static function secret_problem( string $secret ): ?string {
		$length = strlen( $secret );
		if ( 0 === $length ) {
			return __( 'is missing or empty', 'fluent-community-webhooks' );
		}
		if ( $length < self::MIN_SECRET_LENGTH ) {
			/* translators: 1: length of the secret in bytes, 2: the minimum length. */
			return sprintf( __( 'is %1$d bytes long, at least %2$d are needed', 'fluent-community-webhooks' ), $length, self::MIN_SECRET_LENGTH );
		}
		// It travels in an Authorization header: spaces at either end would be trimmed, other bytes mangled.
		if ( 1 !== preg_match( '/^[\x21-\x7e]+$/D', $secret ) ) {
			return __( 'contains spaces, control or non-ASCII characters (only printable ASCII is allowed)', 'fluent-community-webhooks' );
		}
		$distinct = strlen( count_chars( $secret, 3 ) );
		if ( $distinct < self::MIN_SECRET_DISTINCT ) {
			/* translators: 1: number of different characters in the secret, 2: the minimum. */
			return sprintf( __( 'has only %1$d different characters, at least %2$d are needed', 'fluent-community-webhooks' ), $distinct, self::MIN_SECRET_DISTINCT );
		}
		for ( $period = 1; $period <= intdiv( $length, 2 ); $period++ ) {
			if ( 0 === $length % $period && str_repeat( substr( $secret, 0, $period ), intdiv( $length, $period ) ) === $secret ) {
				/* translators: %d: length of the repeated chunk. */
				return sprintf( __( 'is one %d-character chunk repeated', 'fluent-community-webhooks' ), $period );
			}
		}
		return null;
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

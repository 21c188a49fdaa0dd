<?php
/**
 * Where the sidecar service is, how to prove who we are to it, and the HTTP arguments every call to it shares.
 *
 * @package FluentCommunityWebhooks
 */

declare(strict_types=1);

namespace FluentCommunityWebhooks;

use WP_Error;

defined( 'ABSPATH' ) || exit;

/**
 * Configured in wp-config.php: FCWH_SIDECAR_URL (default http://127.0.0.1:8787) and FCWH_SIDECAR_SECRET
 * (the sidecar's FCWH_SECRET, strong by secret_problem()'s rule). Calls use wp_remote_request(), not
 * wp_safe_remote_request(): the sidecar usually listens on loopback and a non-standard port, which the "safe"
 * variant refuses.
 */
final class SidecarEndpoint {

	const DEFAULT_URL = 'http://127.0.0.1:8787';

	/**
	 * The shortest shared secret accepted, in bytes, for callers that need a constant: the generated rule's
	 * min_bytes (Contracts::shared_secret(), which secret_problem() reads), checked equal by
	 * test/ops/site-health.test.ts.
	 */
	const MIN_SECRET_LENGTH = 32;

	/**
	 * The sidecar's base URL and shared secret, or why they are unusable.
	 *
	 * @return array{url: string, secret: string}|WP_Error sidecar_unavailable, with a message for the admin.
	 */
	public static function get() {
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
	 * without spaces, at least 10 of them different, and not one chunk repeated. The rule and its figures are
	 * shared/shared-secret.ts's, generated into Contracts::shared_secret(); the sidecar applies the same one.
	 *
	 * @param string $secret The secret to judge.
	 * @return string|null A phrase completing "FCWH_SIDECAR_SECRET in wp-config.php ...", or null.
	 */
	public static function secret_problem( string $secret ): ?string {
		$rule   = Contracts::shared_secret();
		$length = strlen( $secret );
		if ( 0 === $length ) {
			return __( 'is missing or empty', 'fluent-community-webhooks' );
		}
		if ( $length < $rule['min_bytes'] ) {
			/* translators: 1: length of the secret in bytes, 2: the minimum length. */
			return sprintf( __( 'is %1$d bytes long, at least %2$d are needed', 'fluent-community-webhooks' ), $length, $rule['min_bytes'] );
		}
		// It travels in an Authorization header: spaces at either end would be trimmed, other bytes mangled.
		if ( 1 !== preg_match( $rule['allowed_pattern'], $secret ) ) {
			return __( 'contains spaces, control or non-ASCII characters (only printable ASCII is allowed)', 'fluent-community-webhooks' );
		}
		$distinct = strlen( count_chars( $secret, 3 ) );
		if ( $distinct < $rule['min_distinct_bytes'] ) {
			/* translators: 1: number of different characters in the secret, 2: the minimum. */
			return sprintf( __( 'has only %1$d different characters, at least %2$d are needed', 'fluent-community-webhooks' ), $distinct, $rule['min_distinct_bytes'] );
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
	public static function auth_headers( string $secret ): array {
		return array( Contracts::sidecar( 'auth_header' ) => 'Bearer ' . $secret );
	}

	/**
	 * For `pre_http_send_through_proxy`: requests to the sidecar never go through WP_PROXY_HOST. They carry the
	 * shared secret, and the sidecar is on this host or its private network, which a proxy has no business seeing.
	 * Other URLs are left to WordPress (the previous answer is kept).
	 *
	 * @param bool|null $send Whether to use the proxy, as decided so far (null: WordPress decides).
	 * @param string    $uri  The URL about to be requested.
	 * @return bool|null False for the sidecar's URLs, else `$send`.
	 */
	public static function bypass_proxy( $send, $uri ) {
		$endpoint = self::get();
		if ( is_wp_error( $endpoint ) || ! is_string( $uri ) ) {
			return $send;
		}
		$base = strtolower( $endpoint['url'] );
		$url  = strtolower( $uri );
		// The base itself, or a path, query or fragment below it: never a longer host or port such as ':87870'.
		if ( $url === $base || ( 0 === strpos( $url, $base ) && in_array( substr( $url, strlen( $base ), 1 ), array( '/', '?', '#' ), true ) ) ) {
			return false;
		}
		return $send;
	}

	/**
	 * HTTP API arguments for one call: no redirects, our User-Agent, then what the site's filter adjusts
	 * (e.g. 'sslverify' or a CA file for an HTTPS sidecar).
	 *
	 * @param array<string, mixed> $args HTTP API arguments of the call.
	 * @param string               $path Sidecar path.
	 * @return array<string, mixed>
	 */
	public static function http_args( array $args, string $path ): array {
		$args += array(
			'redirection' => 0,
			'user-agent'  => 'FluentCommunityWebhooks/' . Contracts::version(),
		);
		/**
		 * Filters the HTTP API arguments of a request to the sidecar.
		 *
		 * @param array  $args HTTP API arguments for wp_remote_request().
		 * @param string $path Sidecar path of the request.
		 */
		return (array) apply_filters( 'fluent_community_webhooks/sidecar_request_args', $args, $path );
	}
}

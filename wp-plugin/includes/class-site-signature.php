<?php
/**
 * Checks what only the sidecar can sign: an HMAC-SHA256 under the shared secret over a purpose, a timestamp and
 * a payload (shared/site-calls.ts). The shared secret itself never travels to the site.
 *
 * @package FluentCommunityWebhooks
 */

declare(strict_types=1);

namespace FluentCommunityWebhooks;

defined( 'ABSPATH' ) || exit;

/**
 * A header value `t=<unix seconds>,v1=<hex HMAC>` is accepted when the secret is usable, the timestamp is within
 * the contracts' tolerance of this site's clock and the HMAC of "<purpose>.<t>.<payload>" matches (hash_equals).
 */
final class SiteSignature {

	/**
	 * Whether `$header` is the sidecar's signature of `$payload` for `$purpose`, made within the window.
	 *
	 * @param string $purpose What the signature is for, e.g. 'fcwh-loop-guard.v1' (keeps one use's signature
	 *                        from being accepted for another).
	 * @param string $header  The header value as received.
	 * @param string $payload What was signed: the delivery's webhook-id, or the raw request body.
	 */
	public static function verify( string $purpose, string $header, string $payload ): bool {
		$calls  = Contracts::site_calls();
		$secret = defined( 'FCWH_SIDECAR_SECRET' ) ? (string) FCWH_SIDECAR_SECRET : '';
		if ( null !== SidecarEndpoint::secret_problem( $secret ) || 1 !== preg_match( $calls['signature_pattern'], $header, $parts ) ) {
			return false;
		}
		$timestamp = (int) $parts[1];
		if ( abs( time() - $timestamp ) > (int) $calls['tolerance_seconds'] ) {
			return false;
		}
		$expected = hash_hmac( 'sha256', $purpose . '.' . $parts[1] . '.' . $payload, $secret );
		return hash_equals( $expected, $parts[2] );
	}
}

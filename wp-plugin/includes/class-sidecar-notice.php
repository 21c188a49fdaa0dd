<?php
/**
 * An admin notice for administrators while the webhooks service is down.
 *
 * @package FluentCommunityWebhooks
 */

declare(strict_types=1);

namespace FluentCommunityWebhooks;

defined( 'ABSPATH' ) || exit;

/**
 * Shows an error notice on admin screens while the sidecar is not ready; the check is cached for a minute,
 * so admin pages pay for at most one probe per minute.
 */
final class SidecarNotice {

	/**
	 * Transient holding the last SidecarHealth::check() answer.
	 */
	const TRANSIENT = 'fcwh_sidecar_health';

	/**
	 * How long a health answer is reused, in seconds.
	 */
	const TTL = 60;

	/**
	 * Action `admin_notices`: prints the notice for administrators when the sidecar is not ready.
	 */
	public static function render(): void {
		if ( ! current_user_can( 'manage_options' ) ) {
			return;
		}
		$health = self::cached_health();
		if ( 'ready' === $health['state'] ) {
			return;
		}
		printf(
			'<div class="notice notice-error fcwh-sidecar-notice"><p><strong>%1$s</strong> %2$s <a href="%3$s">%4$s</a></p></div>',
			esc_html__( 'Fluent Community Webhooks: webhooks are not being delivered.', 'fluent-community-webhooks' ),
			esc_html( $health['message'] ),
			esc_url( admin_url( 'site-health.php' ) ),
			esc_html__( 'Site Health', 'fluent-community-webhooks' )
		);
	}

	/**
	 * The sidecar's health, from the transient when fresh, else probed (1 s timeouts) and cached.
	 *
	 * @return array{state: string, message: string, url: string}
	 */
	public static function cached_health(): array {
		$cached = get_transient( self::TRANSIENT );
		if ( is_array( $cached ) && isset( $cached['state'], $cached['message'], $cached['url'] ) ) {
			return $cached;
		}
		$health = SidecarHealth::check( 1.0 );
		self::remember( $health );
		return $health;
	}

	/**
	 * Caches a health answer (Site Health's fresh result replaces an older one).
	 *
	 * @param array{state: string, message: string, url: string} $health A SidecarHealth::check() answer.
	 */
	public static function remember( array $health ): void {
		set_transient( self::TRANSIENT, $health, self::TTL );
	}
}

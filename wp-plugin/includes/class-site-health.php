<?php
/**
 * A Site Health test: is the webhooks service running and ready?
 *
 * @package FluentCommunityWebhooks
 */

declare(strict_types=1);

namespace FluentCommunityWebhooks;

defined( 'ABSPATH' ) || exit;

/**
 * Adds a direct test to Tools → Site Health that asks the sidecar's /healthz and /readyz.
 */
final class SiteHealth {

	/**
	 * The test's key in the Site Health test list.
	 */
	const TEST = 'fluent_community_webhooks_sidecar';

	/**
	 * Filter `site_status_tests`: registers the test.
	 *
	 * @param array<string, array<string, mixed>> $tests Site Health tests by type ('direct', 'async').
	 * @return array<string, array<string, mixed>>
	 */
	public static function register_tests( $tests ): array {
		$tests                         = is_array( $tests ) ? $tests : array();
		$tests['direct'][ self::TEST ] = array(
			'label' => __( 'Fluent Community Webhooks service', 'fluent-community-webhooks' ),
			'test'  => array( self::class, 'test' ),
		);
		return $tests;
	}

	/**
	 * Runs the test: 'good' when the sidecar is ready, 'critical' when it is down, not ready or not configured.
	 *
	 * @return array<string, mixed> A Site Health result (label, status, badge, description, actions, test).
	 */
	public static function test(): array {
		$health = SidecarHealth::check();
		SidecarNotice::remember( $health );
		$labels = array(
			'ready'          => __( 'The webhooks service is running and ready', 'fluent-community-webhooks' ),
			'not_ready'      => __( 'The webhooks service is running but not ready', 'fluent-community-webhooks' ),
			'unreachable'    => __( 'The webhooks service is not running or not reachable', 'fluent-community-webhooks' ),
			'not_configured' => __( 'The webhooks service is not configured', 'fluent-community-webhooks' ),
		);
		$good   = 'ready' === $health['state'];
		$about  = __( 'Fluent Community Webhooks delivers webhooks through a companion service (the sidecar). While it is down, events wait in the database and nothing is delivered.', 'fluent-community-webhooks' );
		$detail = $good
			/* translators: %s: the service's URL. */
			? sprintf( __( 'The service at %s answers, reaches the database, has its tables up to date and its delivery worker running.', 'fluent-community-webhooks' ), $health['url'] )
			: $health['message'];

		return array(
			'label'       => $labels[ $health['state'] ] ?? $labels['unreachable'],
			'status'      => $good ? 'good' : 'critical',
			'badge'       => array(
				'label' => __( 'Webhooks', 'fluent-community-webhooks' ),
				'color' => $good ? 'blue' : 'red',
			),
			'description' => sprintf( '<p>%s</p><p>%s</p>', esc_html( $about ), esc_html( $detail ) ),
			'actions'     => $good ? '' : sprintf(
				'<p>%s</p>',
				esc_html__( 'Start the service (e.g. `systemctl start fluent-community-webhooks`) and check its log (`journalctl -u fluent-community-webhooks`).', 'fluent-community-webhooks' )
			),
			'test'        => self::TEST,
		);
	}
}

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
	 * Runs the test: 'good' when the sidecar is ready, 'recommended' when it is ready but has set inbox rows aside
	 * in its quarantine, 'critical' when it is down, not ready or not configured.
	 *
	 * @return array<string, mixed> A Site Health result (label, status, badge, description, actions, test).
	 */
	public static function test(): array {
		$health = SidecarHealth::check();
		SidecarNotice::remember( $health );
		if ( 'ready' === $health['state'] && $health['quarantined'] > 0 ) {
			return self::quarantined( $health['quarantined'] );
		}
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

	/**
	 * The result while the service runs but has set rows aside: every later event is delivered, these made none.
	 *
	 * @param int $rows Rows in the quarantine.
	 * @return array<string, mixed> A Site Health result.
	 */
	private static function quarantined( int $rows ): array {
		$route  = Contracts::route( 'listQuarantine' );
		$list   = rest_url( Contracts::namespaces()['own'] . ( null === $route ? '' : $route['wp_path'] ) );
		$detail = sprintf(
			/* translators: %d: number of action calls set aside. */
			_n( '%d action call could not be turned into a webhook event and was set aside; no webhook received it. Later events are delivered as usual.', '%d action calls could not be turned into webhook events and were set aside; no webhook received them. Later events are delivered as usual.', $rows, 'fluent-community-webhooks' ),
			$rows
		);
		return array(
			'label'       => __( 'The webhooks service has set some action calls aside', 'fluent-community-webhooks' ),
			'status'      => 'recommended',
			'badge'       => array(
				'label' => __( 'Webhooks', 'fluent-community-webhooks' ),
				'color' => 'orange',
			),
			'description' => sprintf( '<p>%s</p>', esc_html( $detail ) ),
			'actions'     => sprintf(
				/* translators: %s: the REST route listing the quarantine. */
				'<p>' . esc_html__( 'See each one and the reason at %s (GET, as an administrator); once the cause is mended, POST to …/{id}/retry to deliver it.', 'fluent-community-webhooks' ) . '</p>',
				'<code>' . esc_html( $list ) . '</code>'
			),
			'test'        => self::TEST,
		);
	}
}

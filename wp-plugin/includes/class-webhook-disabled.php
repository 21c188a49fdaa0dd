<?php
/**
 * The sidecar's notice that it disabled a webhook: an action for other code and an e-mail to the site admin.
 *
 * @package FluentCommunityWebhooks
 */

declare(strict_types=1);

namespace FluentCommunityWebhooks;

use WP_Error;
use WP_REST_Request;
use WP_REST_Response;

defined( 'ABSPATH' ) || exit;

/**
 * POST /wp-json/fluent-community-webhooks/v1/internal/webhook-disabled with {"webhook_id", "reason"}, sent by the
 * sidecar when a webhook failed for too long or its receiver answered 410 Gone. Only the sidecar may call it: the
 * Bearer token must be the shared secret (FCWH_SIDECAR_SECRET); no user capability opens it.
 */
final class WebhookDisabled {

	const ROUTE = '/internal/webhook-disabled';

	/**
	 * Registers the route in the plugin's own namespace (never the shared one: it is not part of the spec).
	 */
	public static function register(): void {
		register_rest_route(
			Contracts::namespaces()['own'],
			self::ROUTE,
			array(
				'methods'             => 'POST',
				'callback'            => array( self::class, 'receive' ),
				'permission_callback' => array( self::class, 'check' ),
				'args'                => array(
					'webhook_id' => array(
						'description' => __( 'The webhook the service disabled.', 'fluent-community-webhooks' ),
						'type'        => 'integer',
						'minimum'     => 1,
						'required'    => true,
					),
					'reason'     => array(
						'description'       => __( 'Why: the last error, or the 410 answer.', 'fluent-community-webhooks' ),
						'type'              => 'string',
						'required'          => true,
						'sanitize_callback' => 'sanitize_textarea_field',
					),
				),
			)
		);
	}

	/**
	 * Allows the request only with the shared secret as Bearer token, compared in constant time.
	 *
	 * @param WP_REST_Request $request The REST request.
	 * @return true|WP_Error True, or unauthorized (401).
	 */
	public static function check( WP_REST_Request $request ) {
		$secret = defined( 'FCWH_SIDECAR_SECRET' ) ? (string) FCWH_SIDECAR_SECRET : '';
		$header = (string) $request->get_header( 'authorization' );
		$token  = 0 === strncasecmp( $header, 'Bearer ', 7 ) ? trim( substr( $header, 7 ) ) : '';
		if ( strlen( $secret ) >= SidecarEndpoint::MIN_SECRET_LENGTH && '' !== $token && hash_equals( $secret, $token ) ) {
			return true;
		}
		return Errors::make( 'unauthorized' );
	}

	/**
	 * Fires `fluent_community_webhooks/webhook_disabled` and e-mails the site admin.
	 *
	 * @param WP_REST_Request $request The REST request.
	 */
	public static function receive( WP_REST_Request $request ): WP_REST_Response {
		$webhook_id = (int) $request->get_param( 'webhook_id' );
		$reason     = (string) $request->get_param( 'reason' );

		/**
		 * Fires when the webhooks service disabled a webhook by itself: its endpoint failed for longer than the
		 * service's FCWH_DISABLE_AFTER_SECONDS, or answered 410 Gone.
		 *
		 * @param int    $webhook_id The webhook's id.
		 * @param string $reason     Why, with the endpoint's last error.
		 */
		do_action( 'fluent_community_webhooks/webhook_disabled', $webhook_id, $reason );

		$mailed = wp_mail( (string) get_option( 'admin_email' ), self::subject( $webhook_id ), self::body( $webhook_id, $reason ) );
		return new WP_REST_Response(
			array(
				'received' => true,
				'mailed'   => (bool) $mailed,
			),
			200
		);
	}

	/**
	 * The e-mail subject.
	 *
	 * @param int $webhook_id The webhook's id.
	 */
	private static function subject( int $webhook_id ): string {
		return sprintf(
			/* translators: 1: site title, 2: webhook id. */
			__( '[%1$s] Webhook #%2$d was disabled', 'fluent-community-webhooks' ),
			wp_specialchars_decode( (string) get_option( 'blogname' ), ENT_QUOTES ),
			$webhook_id
		);
	}

	/**
	 * The e-mail body: what happened, why, and what to do.
	 *
	 * @param int    $webhook_id The webhook's id.
	 * @param string $reason     Why it was disabled.
	 */
	private static function body( int $webhook_id, string $reason ): string {
		$namespace = Contracts::namespaces()['own'];
		return sprintf(
			/* translators: 1: webhook id, 2: the reason (last error), 3: REST URL of the webhook, 4: REST URL of its replay route. */
			__(
				"The webhooks service disabled webhook #%1\$d: its endpoint kept failing.\n\nReason: %2\$s\n\nNo event is sent to it until it is active again. Fix the endpoint, then set its status back to active (PUT %3\$s). Deliveries that failed meanwhile can be sent again with POST %4\$s.",
				'fluent-community-webhooks'
			),
			$webhook_id,
			$reason,
			rest_url( sprintf( '%s/admin/webhooks/%d', $namespace, $webhook_id ) ),
			rest_url( sprintf( '%s/admin/webhooks/%d/replay', $namespace, $webhook_id ) )
		);
	}
}

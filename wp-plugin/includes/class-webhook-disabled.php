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
 * body must carry its signature (SiteSignature, purpose and header from the contracts), made under the shared
 * secret within the window, and is taken once; no user capability opens it, and the secret itself is never sent.
 */
final class WebhookDisabled {

	/**
	 * Registers the route in the plugin's own namespace (never the shared one: it is not part of the spec).
	 */
	public static function register(): void {
		$notice = Contracts::site_calls()['webhook_disabled'];
		$args   = $notice['args'];
		// The reason is shown in an e-mail: plain text, one paragraph per line.
		$args['reason']['sanitize_callback'] = 'sanitize_textarea_field';
		register_rest_route(
			Contracts::namespaces()['own'],
			$notice['path'],
			array(
				'methods'             => $notice['method'],
				'callback'            => array( self::class, 'receive' ),
				'permission_callback' => array( self::class, 'check' ),
				'args'                => $args,
			)
		);
	}

	/**
	 * Allows the request only when its signature header signs its raw body under the shared secret, recently.
	 *
	 * @param WP_REST_Request $request The REST request.
	 * @return true|WP_Error True, or unauthorized (401).
	 */
	public static function check( WP_REST_Request $request ) {
		$calls     = Contracts::site_calls();
		$notice    = $calls['webhook_disabled'];
		$signature = (string) $request->get_header( $notice['header'] );
		if ( ! SiteSignature::verify( $notice['purpose'], $signature, $request->get_body() ) ) {
			return Errors::make( 'unauthorized', __( 'A valid, recent signature of the webhooks service is required.', 'fluent-community-webhooks' ) );
		}
		// Each signed notice is taken once: a copy replayed within the window would mail the admin again. The sidecar
		// signs every try afresh, so its own retries are not refused.
		$seen = 'fcwh_notice_' . md5( $signature );
		if ( false !== get_transient( $seen ) ) {
			return Errors::make( 'unauthorized', __( 'This notice was already received.', 'fluent-community-webhooks' ) );
		}
		set_transient( $seen, 1, 2 * (int) $calls['tolerance_seconds'] );
		return true;
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

<?php
/**
 * Who may manage webhooks.
 *
 * @package FluentCommunityWebhooks
 */

declare(strict_types=1);

namespace FluentCommunityWebhooks;

use WP_Error;
use WP_REST_Request;

defined( 'ABSPATH' ) || exit;

/**
 * The permission_callback of every management route.
 */
final class Permissions {

	/**
	 * Allows the request when the current user may manage webhooks, on the site the plugin serves (see Network).
	 *
	 * @param WP_REST_Request $request The REST request (unused: the decision depends on the user only).
	 * @return true|WP_Error True, or rest_forbidden with 401 for anonymous callers and 403 for logged-in ones.
	 */
	public static function check( WP_REST_Request $request ) {
		unset( $request );

		// Before the filters: on a site the plugin does not serve, the routes would act on another site's webhooks.
		if ( ! Network::serves_current_site() ) {
			return 0 === get_current_user_id()
				? Errors::make( 'rest_forbidden', null, rest_authorization_required_code() )
				: Errors::make( 'rest_forbidden', Network::not_served_message(), 403 );
		}

		if ( self::current_user_can_manage() ) {
			return true;
		}
		return Errors::make( 'rest_forbidden', null, rest_authorization_required_code() );
	}

	/**
	 * The capability needed to manage webhooks.
	 *
	 * @return string
	 */
	public static function capability(): string {
		/**
		 * Filters the capability needed to manage webhooks.
		 *
		 * @param string $capability Capability name. Default 'manage_network_options' on a multisite network
		 *                           (network administrators), 'manage_options' on a single site.
		 */
		return (string) apply_filters( 'fluent_community_webhooks/capability', Network::default_capability() );
	}

	/**
	 * Whether the current user may manage webhooks here: the routes' check, which also decides who sees the admin
	 * screen. Never on a site of a network that the plugin does not serve.
	 *
	 * @return bool
	 */
	public static function current_user_can_manage(): bool {
		if ( ! Network::serves_current_site() ) {
			return false;
		}
		$user_id = get_current_user_id();

		/**
		 * Filters whether a user may manage webhooks: the final say, after the capability check.
		 *
		 * @param bool $can_manage Whether the user has the capability.
		 * @param int  $user_id    The current user's id, 0 when anonymous.
		 */
		return (bool) apply_filters(
			'fluent_community_webhooks/can_manage',
			0 !== $user_id && current_user_can( self::capability() ),
			$user_id
		);
	}
}

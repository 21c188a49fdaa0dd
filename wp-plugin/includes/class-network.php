<?php
/**
 * Which site of a multisite network the plugin serves.
 *
 * @package FluentCommunityWebhooks
 */

declare(strict_types=1);

namespace FluentCommunityWebhooks;

defined( 'ABSPATH' ) || exit;

/**
 * One sidecar reads one table prefix, so the plugin serves exactly one site: on a single site that site; on a
 * network the site whose id wp-config.php gives as FCWH_SITE_ID, by default the network's main site. On every
 * other site of the network it records no events and its management routes refuse everyone: a subsite's
 * administrator must neither see nor change the served site's webhooks, and a subsite's events would land in an
 * inbox that no sidecar reads.
 */
final class Network {

	/**
	 * The id of the site the plugin serves.
	 */
	public static function served_site_id(): int {
		if ( ! is_multisite() ) {
			return get_current_blog_id();
		}
		if ( defined( 'FCWH_SITE_ID' ) && is_numeric( FCWH_SITE_ID ) && (int) FCWH_SITE_ID > 0 ) {
			return (int) FCWH_SITE_ID;
		}
		return (int) get_main_site_id();
	}

	/**
	 * Whether the current site (after any switch_to_blog()) is the served one.
	 */
	public static function serves_current_site(): bool {
		return ! is_multisite() || get_current_blog_id() === self::served_site_id();
	}

	/**
	 * The capability that manages webhooks by default: on a network, network administrators' (the webhooks carry
	 * the served site's community data and credentials to any URL); on a single site, administrators'.
	 */
	public static function default_capability(): string {
		return is_multisite() ? 'manage_network_options' : 'manage_options';
	}

	/**
	 * Why the current site cannot manage webhooks, for the 403 answer: which site can.
	 */
	public static function not_served_message(): string {
		$id = self::served_site_id();
		return sprintf(
			/* translators: 1: site id, 2: that site's URL. */
			__( 'Webhooks of this network are managed on site %1$d (%2$s), by network administrators.', 'fluent-community-webhooks' ),
			$id,
			(string) get_home_url( $id )
		);
	}
}

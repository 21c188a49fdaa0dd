<?php
/**
 * Sharing the spec's REST namespace (fluent-community/v2) with Fluent Community and its Pro edition.
 *
 * @package FluentCommunityWebhooks
 */

declare(strict_types=1);

namespace FluentCommunityWebhooks;

use WP_HTTP_Response;
use WP_REST_Request;
use WP_REST_Server;

defined( 'ABSPATH' ) || exit;

/**
 * Decides which routes step aside in the shared namespace, and tells which did.
 *
 * README: the routes always answer under /wp-json/fluent-community-webhooks/v1. They also answer under the
 * spec's /wp-json/fluent-community/v2 unless another plugin already serves the same path and method there.
 * Fluent Community Pro serves GET and POST /admin/webhooks and DELETE /admin/webhooks/{id} for its incoming
 * webhooks, so with Pro active those three step aside in fluent-community/v2 (GET one, PUT, test and
 * rotate-secret stay). Which ones stepped aside is told by:
 * - the header `X-FCWH-Skipped-Shared-Routes: GET /admin/webhooks, POST /admin/webhooks, ...` on every answer
 *   under the plugin's own namespace, for callers who may manage webhooks (absent when nothing stepped aside);
 * - the action `fluent_community_webhooks/shared_routes_skipped` (list of 'METHOD /path');
 * - a line in the PHP error log when the list changes and WP_DEBUG is on (filter
 *   `fluent_community_webhooks/log_skipped_routes`);
 * - SharedNamespace::skipped_routes() for PHP code.
 * Returning false from the filter `fluent_community_webhooks/use_shared_namespace` keeps the plugin out of the
 * shared namespace entirely. On a REST request the check runs when a dispatch could reach these routes (see
 * RestRoutes::register_for_dispatch()), after every plugin's rest_api_init callbacks; elsewhere (internal
 * requests outside a REST request, WP-CLI) on rest_api_init at priority 100, and a plugin registering the same
 * routes later than that is not seen there. skipped_routes() is empty until the check ran.
 */
final class SharedNamespace {

	const SKIPPED_HEADER = 'X-FCWH-Skipped-Shared-Routes';

	/**
	 * Option holding the last seen list, comma-separated, so that a change is logged once.
	 */
	const SEEN_OPTION = 'fcwh_skipped_shared_routes';

	/**
	 * Routes left to another plugin in this request, as 'METHOD /path' (sidecar path style).
	 *
	 * @var string[]
	 */
	private static array $skipped = array();

	/**
	 * Forgets the routes skipped by a previous registration (a REST server is built once per request, but
	 * tests may build several).
	 */
	public static function reset(): void {
		self::$skipped = array();
	}

	/**
	 * The contract routes whose path and method a handler registered by someone else already answers, by name.
	 *
	 * Mirrors WP_REST_Server::match_request_to_handler(): the first registered handler whose regex matches the
	 * path and whose methods include the method wins, so ours would never be reached; only the routes of the
	 * namespaces the path starts with are tried. The path is a sample of the route with every parameter replaced
	 * by 1. Each such namespace's routes are read once (get_routes() applies the rest_endpoints filter and
	 * normalises every route of the namespace, about 120 on a Fluent Community site), whatever the number of
	 * contract routes.
	 *
	 * @param WP_REST_Server                   $server The REST server.
	 * @param array<int, array<string, mixed>> $routes Contract routes.
	 * @return array<string, true> Names of the routes taken.
	 */
	public static function taken( WP_REST_Server $server, array $routes ): array {
		$namespaces = $server->get_namespaces();
		$tables     = array();
		$taken      = array();
		foreach ( $routes as $route ) {
			$path = '/' . Contracts::namespaces()['shared'] . preg_replace( '/\(\?P<[^>]+>[^)]*\)/', '1', $route['wp_path'] );
			foreach ( $namespaces as $namespace ) {
				if ( 0 !== strpos( trailingslashit( ltrim( $path, '/' ) ), $namespace ) ) {
					continue;
				}
				$tables[ $namespace ] = $tables[ $namespace ] ?? $server->get_routes( $namespace );
				if ( self::answered( $tables[ $namespace ], $path, $route['method'] ) ) {
					$taken[ $route['name'] ] = true;
					break;
				}
			}
		}
		return $taken;
	}

	/**
	 * Whether a handler of someone else in this route table answers the method on the path.
	 *
	 * @param array<string, array<int, array<string, mixed>>> $table  Routes as get_routes() returns them.
	 * @param string                                          $path   A request path.
	 * @param string                                          $method HTTP method.
	 */
	private static function answered( array $table, string $path, string $method ): bool {
		foreach ( $table as $regex => $handlers ) {
			if ( ! preg_match( '@^' . $regex . '$@i', $path ) ) {
				continue;
			}
			foreach ( $handlers as $handler ) {
				if ( ! empty( $handler['methods'][ $method ] ) && ! isset( $handler['fcwh_route'] ) ) {
					return true;
				}
			}
		}
		return false;
	}

	/**
	 * Notes a route left to another plugin.
	 *
	 * @param array<string, mixed> $route Contract route.
	 */
	public static function skip( array $route ): void {
		self::$skipped[] = $route['method'] . ' ' . $route['sidecar_path'];
	}

	/**
	 * Routes left to another plugin in this request, e.g. 'GET /admin/webhooks'.
	 *
	 * @return string[]
	 */
	public static function skipped_routes(): array {
		return self::$skipped;
	}

	/**
	 * Tells listeners which routes were left to another plugin, and the error log when that list changes.
	 */
	public static function announce_skipped(): void {
		$list = implode( ', ', self::$skipped );
		if ( self::$skipped ) {
			/**
			 * Fires when routes were not registered in the shared namespace because another plugin serves them.
			 *
			 * @param string[] $skipped Routes as 'METHOD /path', e.g. 'GET /admin/webhooks'.
			 */
			do_action( 'fluent_community_webhooks/shared_routes_skipped', self::$skipped );
		}
		if ( get_option( self::SEEN_OPTION, '' ) === $list ) {
			return;
		}
		update_option( self::SEEN_OPTION, $list );

		/**
		 * Filters whether a change of the skipped shared-namespace routes is written to the PHP error log.
		 *
		 * @param bool     $log     Default: the value of WP_DEBUG.
		 * @param string[] $skipped Routes as 'METHOD /path'.
		 */
		if ( '' !== $list && apply_filters( 'fluent_community_webhooks/log_skipped_routes', defined( 'WP_DEBUG' ) && WP_DEBUG, self::$skipped ) ) {
			// phpcs:ignore WordPress.PHP.DevelopmentFunctions.error_log_error_log -- a notice for site operators.
			error_log( 'Fluent Community Webhooks: another plugin serves these routes in ' . Contracts::namespaces()['shared'] . ', so only ' . Contracts::namespaces()['own'] . ' serves them: ' . $list );
		}
	}

	/**
	 * Adds the X-FCWH-Skipped-Shared-Routes header to answers under the plugin's own namespace, for callers
	 * who may manage webhooks.
	 *
	 * @param WP_HTTP_Response|mixed $response Result to send.
	 * @param WP_REST_Server         $server   The REST server.
	 * @param WP_REST_Request        $request  The REST request.
	 * @return WP_HTTP_Response|mixed
	 */
	public static function add_skipped_header( $response, WP_REST_Server $server, WP_REST_Request $request ) {
		unset( $server );
		$own = '/' . Contracts::namespaces()['own'];
		if ( self::$skipped && $response instanceof WP_HTTP_Response && 0 === strpos( $request->get_route(), $own )
			&& true === Permissions::check( $request ) ) {
			$response->header( self::SKIPPED_HEADER, implode( ', ', self::$skipped ) );
		}
		return $response;
	}
}

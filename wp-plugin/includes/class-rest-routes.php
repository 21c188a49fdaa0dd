<?php
/**
 * The management REST routes: registered from the contracts, answered by the sidecar.
 *
 * @package FluentCommunityWebhooks
 */

declare(strict_types=1);

namespace FluentCommunityWebhooks;

use WP_Error;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;

defined( 'ABSPATH' ) || exit;

/**
 * Registers every contract route in the plugin's namespace and, where free, in the spec's shared one
 * (see SharedNamespace), and forwards each call to the sidecar.
 */
final class RestRoutes {

	/**
	 * The REST server the routes are registered on, so that they are registered once per server.
	 *
	 * @var WP_REST_Server|null
	 */
	private static ?WP_REST_Server $registered_on = null;

	/**
	 * On rest_api_init, late: registers the routes at once outside REST requests (an internal rest_do_request(),
	 * WP-CLI, the block editor's preloading), where any code may read the route table next. On a REST request
	 * they wait for a dispatch that could reach them (register_for_dispatch()): most REST requests of a
	 * Fluent Community site are the portal's, and they would pay for registering routes they never reach and,
	 * above all, for the collision check, which walks the shared namespace's whole route table.
	 *
	 * @param WP_REST_Server|null $server The REST server (some code fires rest_api_init without it).
	 */
	public static function register( $server = null ): void {
		if ( defined( 'REST_REQUEST' ) && REST_REQUEST ) {
			return;
		}
		self::register_all( $server instanceof WP_REST_Server ? $server : rest_get_server() );
	}

	/**
	 * On rest_pre_dispatch, first of all callbacks (before core's OPTIONS answer reads the routes): registers the
	 * routes when this dispatch could reach them. It runs for the request itself and for every internal
	 * dispatch (embeds, rest_do_request()), after rest_api_init has ended, so that every other plugin's routes,
	 * whatever their priority, are there for the collision check.
	 *
	 * @param mixed           $result  A response some callback gave instead of dispatching, or null.
	 * @param WP_REST_Server  $server  The REST server.
	 * @param WP_REST_Request $request The request to dispatch.
	 * @return mixed The same $result.
	 */
	public static function register_for_dispatch( $result, $server, $request ) {
		if ( $server instanceof WP_REST_Server && $server !== self::$registered_on && $request instanceof WP_REST_Request
			&& self::may_reach( (string) $request->get_route() ) ) {
			self::register_all( $server );
		}
		return $result;
	}

	/**
	 * On rest_post_dispatch: SharedNamespace::add_skipped_header() once the routes are registered; before that no
	 * route can have been skipped, and SharedNamespace's file is not loaded for nothing.
	 *
	 * @param WP_HTTP_Response|mixed $response Result to send.
	 * @param WP_REST_Server         $server   The REST server.
	 * @param WP_REST_Request        $request  The REST request.
	 * @return WP_HTTP_Response|mixed
	 */
	public static function add_skipped_header( $response, WP_REST_Server $server, WP_REST_Request $request ) {
		if ( null === self::$registered_on ) {
			return $response;
		}
		return SharedNamespace::add_skipped_header( $response, $server, $request );
	}

	/**
	 * Whether a dispatch of this route could reach one of the plugin's routes or list them: the plugin's own
	 * namespace, the contract routes in the shared one, the indexes ('/', the shared namespace's) and batches.
	 *
	 * @param string $route The request's route, e.g. '/fluent-community/v2/feeds'.
	 */
	private static function may_reach( string $route ): bool {
		$route      = '/' . trim( $route, '/' );
		$namespaces = Contracts::namespaces();
		$shared     = '/' . $namespaces['shared'];
		if ( '/' === $route || 0 === stripos( $route, '/batch/' ) || 0 === stripos( $route, '/' . $namespaces['own'] ) ) {
			return true;
		}
		if ( 0 !== stripos( $route, $shared ) ) {
			return false;
		}
		if ( 0 === strcasecmp( $route, $shared ) ) {
			return true;
		}
		// WordPress matches routes case-insensitively (WP_REST_Server::match_request_to_handler()).
		foreach ( Contracts::routes() as $contract ) {
			if ( preg_match( '@^' . $shared . $contract['wp_path'] . '$@i', $route ) ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Registers every route: the sidecar's notice, and the contract routes in the plugin's namespace and, where
	 * free, in the shared one (one look at the shared namespace's routes, see SharedNamespace::taken()).
	 *
	 * @param WP_REST_Server $server The REST server.
	 */
	private static function register_all( WP_REST_Server $server ): void {
		self::$registered_on = $server;
		WebhookDisabled::register();
		SharedNamespace::reset();
		$namespaces = Contracts::namespaces();

		/**
		 * Filters whether the routes are also served in the spec's namespace shared with Fluent Community.
		 *
		 * @param bool $use_shared Default true.
		 */
		$use_shared = (bool) apply_filters( 'fluent_community_webhooks/use_shared_namespace', true );
		$taken      = $use_shared ? SharedNamespace::taken( $server, Contracts::routes() ) : array();

		foreach ( Contracts::routes() as $route ) {
			register_rest_route( $namespaces['own'], $route['wp_path'], self::handler( $route ) );
			if ( ! $use_shared ) {
				continue;
			}
			if ( isset( $taken[ $route['name'] ] ) ) {
				SharedNamespace::skip( $route );
				continue;
			}
			register_rest_route( $namespaces['shared'], $route['wp_path'], self::handler( $route ) );
		}

		SharedNamespace::announce_skipped();
	}

	/**
	 * Forwards a request to the sidecar and answers with its status and JSON body unchanged.
	 *
	 * @param WP_REST_Request $request The REST request.
	 * @return WP_REST_Response|WP_Error
	 */
	public static function forward( WP_REST_Request $request ) {
		$attributes = $request->get_attributes();
		$route      = Contracts::route( (string) ( $attributes['fcwh_route'] ?? '' ) );
		if ( null === $route ) {
			return Errors::make( 'route_not_found' );
		}

		$result = SidecarClient::request(
			$route['method'],
			self::sidecar_path( $route, $request->get_url_params() ),
			self::query_params( $request ),
			(string) $request->get_body(),
			(string) $request->get_header( 'content-type' ),
			get_current_user_id(),
			(float) $route['timeout']
		);
		if ( is_wp_error( $result ) ) {
			return $result;
		}

		return self::to_response( $result );
	}

	/**
	 * Lets the sidecar, not WordPress, answer a malformed JSON body on this plugin's routes.
	 *
	 * WordPress checks the JSON body before the permission callback and answers rest_invalid_json, a code
	 * outside the contracts; dropping that error here makes permissions run first and the sidecar answer
	 * invalid_json, as the contracts say.
	 *
	 * @param WP_REST_Response|WP_HTTP_Response|WP_Error|mixed $response Result so far.
	 * @param array<string, mixed>                             $handler  Matched route handler.
	 * @param WP_REST_Request                                  $request  The REST request.
	 * @return WP_REST_Response|WP_HTTP_Response|WP_Error|mixed
	 */
	public static function let_sidecar_judge_json( $response, array $handler, WP_REST_Request $request ) {
		unset( $request );
		if ( $response instanceof WP_Error && 'rest_invalid_json' === $response->get_error_code() && isset( $handler['fcwh_route'] ) ) {
			return null;
		}
		return $response;
	}

	/**
	 * Returns a value unchanged: the sidecar validates and coerces (zod), WordPress must not.
	 *
	 * WP_REST_Request::sanitize_params() runs rest_parse_request_arg() (validate, then coerce to 'type') for
	 * every arg with a 'type' and no 'sanitize_callback'; has_valid_params() calls 'validate_callback' only when
	 * one is set. Giving both as pass-throughs keeps 'type' for the route index without WordPress acting on it.
	 *
	 * @param mixed $value Raw parameter value.
	 * @return mixed The same value.
	 */
	public static function pass_through( $value ) {
		return $value;
	}

	/**
	 * The sidecar's answer as WordPress sends it: a response, or a WP_Error rendered as {code, message, data}.
	 *
	 * @param array{status: int, body: mixed, headers: array<string, string>} $result Sidecar answer.
	 * @return WP_REST_Response|WP_Error
	 */
	private static function to_response( array $result ) {
		$status = $result['status'];
		$body   = $result['body'];
		if ( $status < 400 ) {
			return new WP_REST_Response( $body, $status, $result['headers'] );
		}
		if ( ! is_array( $body ) || ! isset( $body['code'], $body['message'] ) ) {
			return Errors::make( 'sidecar_unavailable' );
		}
		if ( 'unauthorized' === $body['code'] ) {
			// Only the plugin authenticates to the sidecar: a 401 there is a configuration error, not the caller's.
			return Errors::make(
				'sidecar_unavailable',
				__( 'The webhooks service refused the shared secret: FCWH_SIDECAR_SECRET in wp-config.php must equal the service\'s FCWH_SECRET.', 'fluent-community-webhooks' )
			);
		}
		$data = is_array( $body['data'] ?? null ) ? $body['data'] : array();
		return new WP_Error( (string) $body['code'], (string) $body['message'], array( 'status' => $status ) + $data );
	}

	/**
	 * The register_rest_route() arguments of one contract route.
	 *
	 * @param array<string, mixed> $route Contract route.
	 * @return array<string, mixed>
	 */
	private static function handler( array $route ): array {
		$args = array();
		foreach ( $route['args'] as $name => $arg ) {
			$args[ $name ] = array(
				'description'       => $arg['description'],
				'type'              => $arg['type'],
				'validate_callback' => '__return_true',
				'sanitize_callback' => array( self::class, 'pass_through' ),
			);
		}
		return array(
			'methods'             => $route['method'],
			'callback'            => array( self::class, 'forward' ),
			'permission_callback' => array( Permissions::class, 'check' ),
			'args'                => $args,
			'fcwh_route'          => $route['name'],
		);
	}

	/**
	 * The sidecar path of a route, with its URL parameters substituted and encoded.
	 *
	 * @param array<string, mixed>  $route      Contract route.
	 * @param array<string, string> $url_params Parameters matched in the WordPress path.
	 */
	private static function sidecar_path( array $route, array $url_params ): string {
		$path = $route['sidecar_path'];
		foreach ( $route['params'] as $param ) {
			$path = str_replace( '{' . $param . '}', rawurlencode( (string) ( $url_params[ $param ] ?? '' ) ), $path );
		}
		return $path;
	}

	/**
	 * The query parameters to forward: the caller's, without those WordPress itself interprets.
	 *
	 * @param WP_REST_Request $request The REST request.
	 * @return array<string, mixed>
	 */
	private static function query_params( WP_REST_Request $request ): array {
		$reserved = array( 'rest_route', '_envelope', '_fields', '_embed', '_jsonp', '_method', '_wpnonce' );
		return array_diff_key( (array) $request->get_query_params(), array_flip( $reserved ) );
	}
}

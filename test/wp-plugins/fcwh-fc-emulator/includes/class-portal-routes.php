<?php
/**
 * Fluent Community's own REST routes in fluent-community/v2, as many and shaped as on a real site.
 *
 * @package FcwhTest\FcEmulator
 */

declare(strict_types=1);

namespace FcwhTest\FcEmulator;

use Throwable;
use WP_Error;
use WP_REST_Request;

defined( 'ABSPATH' ) || exit;

/**
 * Fluent Community 2.8.1 registers 121 route patterns in fluent-community/v2; the webhooks plugin shares that
 * namespace, so the cost of anything that walks its routes only shows with a table of that size. The paths
 * below are Fluent Community's where ../shared/fluent-community/HOOKS.md lists them, plausible siblings
 * otherwise. A route whose action the plugin listens to fires it from its fixture, as the real route does
 * after saving; the others answer a small JSON document.
 *
 * The option fcwh_test_fc_routes set to a number keeps only that many of the patterns (tests comparing a small
 * table with a real-sized one).
 */
final class PortalRoutes {

	const NAMESPACE = 'fluent-community/v2';

	/**
	 * Path => method => fixture fired (null: none). {x} is a numeric id, {x:slug} a slug or user name.
	 */
	const ROUTES = array(
		'/feeds'                                                  => array(
			'GET'  => null,
			'POST' => 'feed.created',
		),
		'/feeds/{feed_id}'                                        => array(
			'POST'   => 'feed.updated',
			'PATCH'  => 'feed.pinned',
			'DELETE' => 'feed.deleted',
		),
		'/feeds/{feed_slug:slug}/by-slug'                         => array( 'GET' => null ),
		'/feeds/{feed_id}/by-id'                                  => array( 'GET' => null ),
		'/feeds/{feed_id}/react'                                  => array( 'POST' => 'reaction.added' ),
		'/feeds/{feed_id}/reactions'                              => array( 'GET' => null ),
		'/feeds/{feed_id}/comments'                               => array(
			'GET'  => null,
			'POST' => 'comment.created',
		),
		'/feeds/{feed_id}/comments/{comment_id}'                  => array(
			'POST'   => 'comment.updated',
			'DELETE' => 'comment.deleted',
		),
		'/feeds/{feed_id}/comments/{comment_id}/reactions'        => array(
			'GET'  => null,
			'POST' => 'variants/reaction.added.comment',
		),
		'/feeds/{feed_id}/apps/survey-vote'                       => array( 'POST' => null ),
		'/feeds/{feed_id}/apps/survey-voters/{option_slug:slug}'  => array( 'GET' => null ),
		'/feeds/{feed_id}/bookmark'                               => array( 'POST' => null ),
		'/feeds/{feed_id}/mark-read'                              => array( 'POST' => null ),
		'/feeds/{feed_id}/edit'                                   => array( 'GET' => null ),
		'/feeds/media-upload'                                     => array( 'POST' => null ),
		'/feeds/media-preview'                                    => array( 'POST' => null ),
		'/feeds/links'                                            => array( 'GET' => null ),
		'/feeds/oembed'                                           => array( 'GET' => null ),
		'/feeds/bookmarks'                                        => array( 'GET' => null ),
		'/feeds/ticker'                                           => array( 'GET' => null ),
		'/feeds/welcome-banner'                                   => array( 'GET' => null ),
		'/feeds/scheduled'                                        => array( 'GET' => null ),
		'/feeds/{feed_id}/schedule'                               => array( 'POST' => null ),
		'/spaces'                                                 => array(
			'GET'  => null,
			'POST' => 'space.created',
		),
		'/spaces/discover'                                        => array( 'GET' => null ),
		'/spaces/all'                                             => array( 'GET' => null ),
		'/spaces/users/search'                                    => array( 'GET' => null ),
		'/spaces/{space_slug:slug}'                               => array( 'DELETE' => 'space.deleted' ),
		'/spaces/{space_slug:slug}/by-slug'                       => array(
			'GET' => null,
			'PUT' => 'space.updated',
		),
		'/spaces/{space_id}/by-id'                                => array(
			'GET'    => null,
			'PUT'    => 'space.updated',
			'DELETE' => 'space.deleted',
		),
		'/spaces/{space_slug:slug}/join'                          => array( 'POST' => 'space.member_joined' ),
		'/spaces/{space_slug:slug}/leave'                         => array( 'POST' => 'space.member_left' ),
		'/spaces/{space_slug:slug}/members'                       => array(
			'GET'  => null,
			'POST' => 'space.member_joined',
		),
		'/spaces/{space_slug:slug}/members/remove'                => array( 'POST' => 'space.member_left' ),
		'/spaces/{space_slug:slug}/members/{user_id}/role'        => array( 'PUT' => null ),
		'/spaces/{space_slug:slug}/meta-settings'                 => array(
			'GET' => null,
			'PUT' => null,
		),
		'/spaces/{space_slug:slug}/links'                         => array(
			'GET' => null,
			'PUT' => null,
		),
		'/spaces/{space_slug:slug}/lockscreens'                   => array(
			'GET' => null,
			'PUT' => null,
		),
		'/spaces/{space_slug:slug}/photo'                         => array( 'POST' => null ),
		'/spaces/{space_slug:slug}/courses'                       => array( 'GET' => null ),
		'/spaces/space_groups'                                    => array(
			'GET'  => null,
			'POST' => null,
		),
		'/spaces/space_groups/{group_id}'                         => array(
			'PUT'    => null,
			'DELETE' => null,
		),
		'/spaces/space_groups/re-index'                           => array( 'PATCH' => null ),
		'/spaces/space_groups/re-index-spaces'                    => array( 'PATCH' => null ),
		'/spaces/space_groups/{group_id}/move-space'              => array( 'PATCH' => null ),
		'/profile/{username:slug}'                                => array(
			'GET'  => null,
			'POST' => 'user.profile_updated',
			'PUT'  => null,
		),
		'/profile/{username:slug}/spaces'                         => array( 'GET' => null ),
		'/profile/{username:slug}/comments'                       => array( 'GET' => null ),
		'/profile/{username:slug}/followers'                      => array( 'GET' => null ),
		'/profile/{username:slug}/followings'                     => array( 'GET' => null ),
		'/profile/{username:slug}/follow'                         => array( 'POST' => 'user.followed' ),
		'/profile/{username:slug}/unfollow'                       => array( 'POST' => 'user.unfollowed' ),
		'/profile/{username:slug}/block'                          => array( 'POST' => null ),
		'/profile/{username:slug}/unblock'                        => array( 'POST' => null ),
		'/profile/{username:slug}/notification-preferences'       => array(
			'GET' => null,
			'PUT' => null,
		),
		'/profile/{username:slug}/courses'                        => array( 'GET' => null ),
		'/profile/{username:slug}/badges'                         => array( 'GET' => null ),
		'/members'                                                => array( 'GET' => null ),
		'/members/{user_id}'                                      => array( 'PATCH' => null ),
		'/members/{user_id}/status'                               => array( 'PUT' => null ),
		'/notifications'                                          => array( 'GET' => null ),
		'/notifications/unread'                                   => array( 'GET' => null ),
		'/notifications/mark-read/{notification_id}'              => array( 'POST' => null ),
		'/notifications/mark-all-read'                            => array( 'POST' => null ),
		'/notifications/mark-read-by-feed/{feed_id}'              => array( 'POST' => null ),
		'/activities'                                             => array( 'GET' => null ),
		'/comments/{comment_id}/by-id'                            => array( 'GET' => null ),
		'/courses'                                                => array( 'GET' => null ),
		'/courses/{course_slug:slug}/by-slug'                     => array( 'GET' => null ),
		'/courses/{course_id}/enroll'                             => array( 'POST' => 'course.enrolled' ),
		'/courses/{course_slug:slug}/lessons/{lesson_slug:slug}/by-slug' => array( 'GET' => null ),
		'/courses/{course_id}/lessons/{lesson_id}/completion'     => array( 'PUT' => 'lesson.completed' ),
		'/admin/courses'                                          => array(
			'GET'  => null,
			'POST' => null,
		),
		'/admin/courses/{course_id}'                              => array(
			'GET'    => null,
			'PUT'    => null,
			'DELETE' => null,
		),
		'/admin/courses/{course_id}/duplicate'                    => array( 'POST' => null ),
		'/admin/courses/{course_id}/sections'                     => array(
			'GET'  => null,
			'POST' => null,
		),
		'/admin/courses/{course_id}/sections/indexes'             => array( 'PATCH' => null ),
		'/admin/courses/{course_id}/sections/{section_id}'        => array(
			'PUT'    => null,
			'DELETE' => null,
		),
		'/admin/courses/{course_id}/lessons'                      => array(
			'GET'  => null,
			'POST' => null,
		),
		'/admin/courses/{course_id}/lessons/{lesson_id}'          => array(
			'GET'    => null,
			'PUT'    => null,
			'DELETE' => null,
		),
		'/admin/courses/{course_id}/students'                     => array(
			'GET'  => null,
			'POST' => 'course.enrolled',
		),
		'/admin/courses/{course_id}/students/{student_id}'        => array( 'DELETE' => 'course.unenrolled' ),
		'/admin/courses/{course_id}/instructors'                  => array( 'GET' => null ),
		'/admin/courses/{course_id}/meta-settings'                => array(
			'GET' => null,
			'PUT' => null,
		),
		'/admin/general'                                          => array(
			'GET'  => null,
			'POST' => null,
		),
		'/admin/managers'                                         => array(
			'GET'  => null,
			'POST' => null,
		),
		'/admin/managers/{user_id}'                               => array( 'DELETE' => null ),
		'/admin/users'                                            => array( 'GET' => null ),
		'/admin/topics'                                           => array(
			'GET'  => null,
			'POST' => null,
		),
		'/admin/topics/{topic_id}'                                => array(
			'PUT'    => null,
			'DELETE' => null,
		),
		'/admin/welcome-banner'                                   => array(
			'GET'  => null,
			'POST' => null,
		),
		'/admin/on-boardings'                                     => array(
			'GET'  => null,
			'POST' => null,
		),
		'/admin/menu-settings'                                    => array(
			'GET'  => null,
			'POST' => null,
		),
		'/admin/email-settings'                                   => array(
			'GET'  => null,
			'POST' => null,
		),
		'/admin/profile-link-providers'                           => array(
			'GET'  => null,
			'POST' => null,
		),
		'/admin/storage-settings'                                 => array(
			'GET'  => null,
			'POST' => null,
		),
		'/admin/color-config'                                     => array(
			'GET'  => null,
			'POST' => null,
		),
		'/admin/auth-settings'                                    => array(
			'GET'  => null,
			'POST' => null,
		),
		'/admin/crm-tagging'                                      => array(
			'GET'  => null,
			'POST' => null,
		),
		'/admin/reports'                                          => array( 'GET' => null ),
		'/settings/features'                                      => array(
			'GET'  => null,
			'POST' => null,
		),
		'/settings/privacy-settings'                              => array(
			'GET'  => null,
			'POST' => null,
		),
		'/settings/customization-settings'                        => array(
			'GET'  => null,
			'POST' => null,
		),
		'/settings/menu-groups'                                   => array( 'GET' => null ),
		'/settings/portal-slug'                                   => array( 'POST' => null ),
		'/settings/docs-menu'                                     => array( 'GET' => null ),
		'/moderation/report'                                      => array( 'POST' => 'report.created' ),
		'/moderation/reports'                                     => array( 'GET' => null ),
		'/moderation/reports/{report_id}'                         => array(
			'PUT'    => 'report.resolved',
			'DELETE' => null,
		),
		'/moderation/config'                                      => array(
			'GET'  => null,
			'POST' => null,
		),
		'/leaderboards'                                           => array( 'GET' => null ),
		'/leaderboards/levels'                                    => array( 'GET' => null ),
		'/options/app-vars'                                       => array( 'GET' => null ),
		'/options/sidebar-menu-html'                              => array( 'GET' => null ),
		'/options/menu-items'                                     => array( 'GET' => null ),
		'/auth/signup'                                            => array( 'POST' => null ),
		'/auth/invitations'                                       => array( 'GET' => null ),
		'/auth/invitations/{invitation_id}'                       => array( 'DELETE' => null ),
		'/auth/invitations/{invitation_id}/resend'                => array( 'POST' => null ),
		'/topics'                                                 => array( 'GET' => null ),
	);

	/**
	 * Registers the routes, at the default priority like Fluent Community.
	 */
	public static function register(): void {
		$routes = self::ROUTES;
		$keep   = (int) get_option( 'fcwh_test_fc_routes', 0 );
		if ( $keep > 0 ) {
			$routes = array_slice( $routes, 0, $keep, true );
		}
		foreach ( $routes as $path => $methods ) {
			$handlers = array();
			foreach ( $methods as $method => $fixture ) {
				$handlers[] = array(
					'methods'             => $method,
					'callback'            => array( self::class, 'answer' ),
					'permission_callback' => 'GET' === $method ? '__return_true' : 'is_user_logged_in',
					'fcwh_test_fixture'   => $fixture,
				);
			}
			register_rest_route( self::NAMESPACE, self::pattern( $path ), $handlers );
		}
	}

	/**
	 * How many route patterns register() makes with no option set.
	 */
	public static function count(): int {
		return count( self::ROUTES );
	}

	/**
	 * Answers like Fluent Community would, after firing the route's action from its fixture, if any (a deletion's
	 * "before" action first, as Routes::COMPANIONS says).
	 *
	 * @param WP_REST_Request $request The REST request.
	 * @return array<string, mixed>|WP_Error
	 */
	public static function answer( WP_REST_Request $request ) {
		$attributes = $request->get_attributes();
		$fixture    = $attributes['fcwh_test_fixture'] ?? null;
		if ( is_string( $fixture ) ) {
			$loaded = Fixtures::load( $fixture );
			if ( is_wp_error( $loaded ) ) {
				return $loaded;
			}
			$before = Routes::companion( $loaded['hook'], $loaded['args'], array() );
			if ( is_wp_error( $before ) ) {
				return $before;
			}
			try {
				if ( null !== $before ) {
					do_action( $before['hook'], ...Fixtures::build( $before['args'] ) );
				}
				do_action( $loaded['hook'], ...Fixtures::build( $loaded['args'] ) );
			} catch ( Throwable $error ) {
				return new WP_Error( 'fcwh_test_fire_failed', get_class( $error ) . ': ' . $error->getMessage(), array( 'status' => 500 ) );
			}
		}
		return array(
			'route'   => $request->get_route(),
			'method'  => $request->get_method(),
			'params'  => $request->get_url_params(),
			'fired'   => $fixture,
			'message' => 'ok',
		);
	}

	/**
	 * A path with {x} and {x:slug} placeholders as the WordPress route regex Fluent Community registers.
	 *
	 * @param string $path E.g. '/feeds/{feed_id}/comments'.
	 */
	private static function pattern( string $path ): string {
		return (string) preg_replace_callback(
			'/\{([a-z_]+)(:slug)?\}/',
			static function ( array $match ): string {
				return '(?P<' . $match[1] . '>' . ( isset( $match[2] ) && '' !== $match[2] ? '[^/]+' : '\d+' ) . ')';
			},
			$path
		);
	}
}

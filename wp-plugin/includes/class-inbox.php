<?php
/**
 * The inbox table: one row per action call, read by the sidecar.
 *
 * @package FluentCommunityWebhooks
 */

declare(strict_types=1);

namespace FluentCommunityWebhooks;

defined( 'ABSPATH' ) || exit;

/**
 * Writes rows to {prefix}fcwh_inbox and counts what happened in this request.
 *
 * A failed write must never break the visitor's request: database errors are suppressed, counted, and logged
 * once per request, without the row's content.
 */
final class Inbox {

	/**
	 * Rows stored in this request.
	 *
	 * @var int
	 */
	private static int $stored = 0;

	/**
	 * Rows that could not be stored in this request.
	 *
	 * @var int
	 */
	private static int $failed = 0;

	/**
	 * The table name with the site's prefix.
	 */
	public static function table(): string {
		global $wpdb;
		return $wpdb->prefix . Contracts::inbox()['table'];
	}

	/**
	 * The JSON flags for the args column: unescaped Unicode when the connection can carry any character.
	 */
	public static function json_flags(): int {
		global $wpdb;
		$flags = JSON_UNESCAPED_SLASHES | JSON_INVALID_UTF8_SUBSTITUTE | JSON_PARTIAL_OUTPUT_ON_ERROR;
		// A utf8 (3-byte) connection cannot carry emoji: escaped as \uXXXX they stay plain ASCII.
		return 'utf8mb4' === $wpdb->charset ? $flags | JSON_UNESCAPED_UNICODE : $flags;
	}

	/**
	 * Tells wpdb the inbox table's charset without asking the database (filter pre_get_table_charset).
	 *
	 * The table is utf8mb4 by its DDL. Knowing it spares one SHOW FULL COLUMNS query in each request that
	 * stores an event; without column metadata wpdb also skips its length checks, which hook names, uuids and
	 * LONGTEXT JSON never fail.
	 *
	 * @param string|\WP_Error|null $charset Charset decided by an earlier filter, or null.
	 * @param string                $table   Table name.
	 * @return string|\WP_Error|null
	 */
	public static function table_charset( $charset, $table ) {
		return null === $charset && self::table() === $table ? 'utf8mb4' : $charset;
	}

	/**
	 * Tells wpdb that no inbox column needs its invalid-text stripping (filter pre_get_col_charset).
	 *
	 * Every value is valid UTF-8 by construction (JSON encoded with JSON_INVALID_UTF8_SUBSTITUTE, ASCII hook
	 * names, ids and dates), while wpdb's check runs a regular expression over the whole JSON whenever it holds
	 * a non-ASCII character: about 0.06 ms per row, a fifth of the listener's budget.
	 *
	 * @param string|false|null $charset Charset decided by an earlier filter, or null.
	 * @param string            $table   Table name.
	 * @return string|false|null False ("no charset to check") for inbox columns.
	 */
	public static function column_charset( $charset, $table ) {
		return null === $charset && self::table() === $table ? false : $charset;
	}

	/**
	 * Stores one action call.
	 *
	 * @param string $hook        Action name.
	 * @param string $args        JSON array of the normalised arguments.
	 * @param int    $actor_id    Current WordPress user id, 0 when anonymous.
	 * @param string $request_id  Id shared by every row of this PHP request.
	 * @param string $occurred_at UTC time, 'Y-m-d H:i:s.u'.
	 * @return bool Whether the row was stored.
	 */
	public static function add( string $hook, string $args, int $actor_id, string $request_id, string $occurred_at ): bool {
		global $wpdb;

		$suppressed = $wpdb->suppress_errors( true );
		$inserted   = $wpdb->insert(
			self::table(),
			array(
				'hook'        => $hook,
				'args'        => $args,
				'actor_id'    => $actor_id,
				'request_id'  => $request_id,
				'occurred_at' => $occurred_at,
			),
			array( '%s', '%s', '%d', '%s', '%s' )
		);
		$wpdb->suppress_errors( $suppressed );

		if ( false === $inserted ) {
			self::failed( $hook, (string) $wpdb->last_error );
			return false;
		}
		++self::$stored;
		return true;
	}

	/**
	 * Counts a row that could not be stored, and logs the first such failure of the request.
	 *
	 * @param string $hook   Action name.
	 * @param string $reason Database or PHP error message (never the row's content).
	 */
	public static function failed( string $hook, string $reason ): void {
		++self::$failed;
		if ( 1 === self::$failed ) {
			// phpcs:ignore WordPress.PHP.DevelopmentFunctions.error_log_error_log -- operators need to know events are lost.
			error_log( sprintf( 'Fluent Community Webhooks: could not store a %s call in %s: %s', $hook, self::table(), substr( $reason, 0, 300 ) ) );
		}
	}

	/**
	 * Rows stored in this request.
	 */
	public static function stored(): int {
		return self::$stored;
	}

	/**
	 * Rows that could not be stored in this request.
	 */
	public static function failures(): int {
		return self::$failed;
	}
}

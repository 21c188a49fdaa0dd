<?php
/**
 * The inbox table: one row per action call, read by the sidecar; calls are buffered and written in one INSERT.
 *
 * @package FluentCommunityWebhooks
 */

declare(strict_types=1);

namespace FluentCommunityWebhooks;

defined( 'ABSPATH' ) || exit;

/**
 * Buffers the calls of this request in memory and writes them to {prefix}fcwh_inbox with one multi-row INSERT:
 * at shutdown (finish()), or earlier once the buffer is large or old, so that an import does not hold thousands.
 *
 * A durable INSERT per call cost the visitor one commit (an fsync) per action; now a request pays one commit.
 * The price: a PHP process killed between an action and the end of its request loses that request's calls (a
 * fatal error still runs shutdown functions). A failed write must never break the request: database errors are
 * suppressed, counted per row, and logged once per request, without the row's content.
 */
final class Inbox {

	/**
	 * Buffered calls are written as soon as there are this many (WP-CLI imports, cron runs, long requests).
	 */
	const FLUSH_ROWS = 100;

	/**
	 * ...or as soon as their JSON arguments add up to this many bytes.
	 */
	const FLUSH_BYTES = 1048576;

	/**
	 * ...or when a call is recorded while the oldest buffered one has waited this many seconds.
	 */
	const FLUSH_AGE_SECONDS = 1.0;

	/**
	 * Calls recorded and not written yet, in order: [hook, args, actor_id, request_id, occurred_at, table]. The
	 * table is the one of the call's time: a call made inside switch_to_blog() belongs to that site's inbox.
	 *
	 * @var array<int, array{0: string, 1: string, 2: int, 3: string, 4: string, 5: string}>
	 */
	private static array $buffer = array();

	/**
	 * Bytes of JSON arguments in the buffer.
	 *
	 * @var int
	 */
	private static int $buffer_bytes = 0;

	/**
	 * microtime( true ) when the oldest buffered call was recorded.
	 *
	 * @var float
	 */
	private static float $buffer_since = 0.0;

	/**
	 * Whether finish() ran: calls recorded later (by later shutdown callbacks) are written at once.
	 *
	 * @var bool
	 */
	private static bool $finished = false;

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
	 * The JSON flags for the args column. Non-ASCII characters are escaped (\uXXXX), so every statement is
	 * ASCII: the multi-row INSERT goes through $wpdb->query(), which runs its invalid-text check (a table lookup
	 * and a regular expression over the whole statement) only on statements holding a non-ASCII byte. ASCII
	 * JSON also fits a utf8 (3-byte) connection, which cannot carry emoji.
	 */
	public static function json_flags(): int {
		return JSON_UNESCAPED_SLASHES | JSON_INVALID_UTF8_SUBSTITUTE | JSON_PARTIAL_OUTPUT_ON_ERROR;
	}

	/**
	 * Records one action call; it is written at the latest at shutdown.
	 *
	 * @param string $hook        Action name.
	 * @param string $args        JSON array of the normalised arguments (ASCII, see json_flags()).
	 * @param int    $actor_id    Current WordPress user id, 0 when anonymous.
	 * @param string $request_id  Id shared by every row of this PHP request.
	 * @param string $occurred_at UTC time of the call, 'Y-m-d H:i:s.u'.
	 */
	public static function add( string $hook, string $args, int $actor_id, string $request_id, string $occurred_at ): void {
		$now = microtime( true );
		if ( array() === self::$buffer ) {
			self::$buffer_since = $now;
		}
		self::$buffer[]      = array( $hook, $args, $actor_id, $request_id, $occurred_at, self::table() );
		self::$buffer_bytes += strlen( $args );
		if ( self::$finished || count( self::$buffer ) >= self::FLUSH_ROWS || self::$buffer_bytes >= self::FLUSH_BYTES
			|| $now - self::$buffer_since >= self::FLUSH_AGE_SECONDS ) {
			self::flush();
		}
	}

	/**
	 * At shutdown: writes what is buffered; calls recorded after this are written one by one, at once.
	 */
	public static function finish(): void {
		self::$finished = true;
		self::flush();
	}

	/**
	 * Writes every buffered call, in order (one INSERT, normally; see InboxWriter).
	 */
	public static function flush(): void {
		$rows               = self::$buffer;
		self::$buffer       = array();
		self::$buffer_bytes = 0;
		if ( array() === $rows ) {
			return;
		}
		$errors        = InboxWriter::write( $rows );
		self::$stored += count( $rows ) - count( $errors );
		foreach ( $errors as $index => $reason ) {
			self::failed( $rows[ $index ][0], $reason );
		}
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

	/**
	 * Calls recorded and not written yet.
	 */
	public static function buffered(): int {
		return count( self::$buffer );
	}
}

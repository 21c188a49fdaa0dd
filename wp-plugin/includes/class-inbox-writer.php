<?php
/**
 * Writes buffered action calls to the inbox table with multi-row INSERTs.
 *
 * @package FluentCommunityWebhooks
 */

declare(strict_types=1);

namespace FluentCommunityWebhooks;

use Throwable;

defined( 'ABSPATH' ) || exit;

/**
 * One autocommit INSERT (one durable commit) per statement, statements kept under STATEMENT_BYTES and to one
 * table (a request that switched sites has rows for several), rows in the order given (a multi-row INSERT takes consecutive auto-increment ids, which is the order the sidecar reads).
 * Database errors are suppressed and returned, never thrown.
 */
final class InboxWriter {

	/**
	 * The most bytes of escaped values in one INSERT: below 1 MiB, the smallest max_allowed_packet default of the
	 * servers WordPress supports (MySQL 5.5; 4 MB on 5.6 and 5.7, 16 MB on MariaDB 10.2+, 64 MB on MySQL 8).
	 * A single larger row goes alone, as every row did before buffering.
	 */
	const STATEMENT_BYTES = 1000000;

	/**
	 * Writes rows, in as few INSERTs as STATEMENT_BYTES and their tables allow.
	 *
	 * @param array<int, array{0: string, 1: string, 2: int, 3: string, 4: string, 5: string}> $rows [hook, args,
	 *        actor_id, request_id, occurred_at, inbox table].
	 * @return array<int, string> Why each row that could not be stored failed, by its index in $rows.
	 */
	public static function write( array $rows ): array {
		$errors = array();
		$tuples = array();
		$bytes  = 0;
		$table  = '';
		foreach ( $rows as $index => $row ) {
			$tuple = self::tuple( $row );
			if ( array() !== $tuples && ( $row[5] !== $table || $bytes + strlen( $tuple ) > self::STATEMENT_BYTES ) ) {
				$errors += self::statement( $table, $tuples );
				$tuples  = array();
				$bytes   = 0;
			}
			$table            = $row[5];
			$tuples[ $index ] = $tuple;
			$bytes           += strlen( $tuple ) + 1;
		}
		return $errors + self::statement( $table, $tuples );
	}

	/**
	 * One row as the SQL tuple "('hook','args',actor,'request','time')", escaped.
	 *
	 * @param array{0: string, 1: string, 2: int, 3: string, 4: string, 5: string} $row A buffered call.
	 */
	private static function tuple( array $row ): string {
		return "('" . esc_sql( $row[0] ) . "','" . esc_sql( $row[1] ) . "'," . $row[2] . ",'" . esc_sql( $row[3] ) . "','" . esc_sql( $row[4] ) . "')";
	}

	/**
	 * Runs one INSERT of some tuples. When it fails, each row is tried alone, so that one bad row (say, larger than
	 * max_allowed_packet) does not take the others with it; when the first row alone fails with the same error,
	 * the table itself is the problem and the rest fail without more queries.
	 *
	 * @param string             $table  The inbox table.
	 * @param array<int, string> $tuples Escaped tuples by row index.
	 * @return array<int, string> Errors by row index.
	 */
	private static function statement( string $table, array $tuples ): array {
		$error = array() === $tuples ? null : self::insert( $table, $tuples );
		if ( null === $error ) {
			return array();
		}
		if ( 1 === count( $tuples ) ) {
			return array_fill_keys( array_keys( $tuples ), $error );
		}
		$errors  = array();
		$first   = array_key_first( $tuples );
		$give_up = false;
		foreach ( $tuples as $index => $tuple ) {
			$alone   = $give_up ? $error : self::insert( $table, array( $tuple ) );
			$give_up = $give_up || ( $index === $first && $alone === $error );
			if ( null !== $alone ) {
				$errors[ $index ] = $alone;
			}
		}
		return $errors;
	}

	/**
	 * One INSERT, errors suppressed.
	 *
	 * @param string             $table  The inbox table.
	 * @param array<int, string> $tuples Escaped tuples.
	 * @return string|null The database or PHP error, null when the rows are stored.
	 */
	private static function insert( string $table, array $tuples ): ?string {
		global $wpdb;
		$suppressed = $wpdb->suppress_errors( true );
		try {
			// phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared,WordPress.DB.DirectDatabaseQuery -- every value escaped by tuple().
			$inserted = $wpdb->query( "INSERT INTO `{$table}` (`hook`, `args`, `actor_id`, `request_id`, `occurred_at`) VALUES " . implode( ',', $tuples ) );
			return false === $inserted ? (string) $wpdb->last_error : null;
		} catch ( Throwable $error ) {
			return get_class( $error ) . ': ' . $error->getMessage();
		} finally {
			$wpdb->suppress_errors( $suppressed );
		}
	}
}

<?php
/**
 * What the webhooks plugin wrote to its inbox during a request, and what it had written once the request ended.
 *
 * @package FcwhTest\FcEmulator
 */

declare(strict_types=1);

namespace FcwhTest\FcEmulator;

defined( 'ABSPATH' ) || exit;

/**
 * Counts, on this request's own database session, INSERT statements (SHOW SESSION STATUS 'Com_insert') and inbox
 * rows: once after the actions fired (in the answer), and once more after every shutdown callback ran (a PHP
 * shutdown function registered after WordPress's own), saved as JSON in the option OPTION. Meant for a site
 * without a sidecar, whose inbox nobody drains.
 */
final class Probe {

	/**
	 * Option holding the last request's end-of-request counts, as JSON.
	 */
	const OPTION = 'fcwh_test_probe';

	/**
	 * The counters before the actions fire.
	 *
	 * @return array{inserts: int, rows: int, fired_from: string}
	 */
	public static function start(): array {
		delete_option( self::OPTION );
		return array(
			'inserts'    => self::inserts(),
			'rows'       => self::rows(),
			'fired_from' => self::utc_now(),
		);
	}

	/**
	 * What the inbox got so far; arranges for the end-of-request counts to be saved.
	 *
	 * @param array{inserts: int, rows: int, fired_from: string} $start       What start() returned.
	 * @param string                                             $fired_until utc_now() right after the last call.
	 * @return array{inserts: int, rows: int, fired_from: string, fired_until: string} INSERT statements and inbox
	 *         rows since start(), and the UTC times around the calls.
	 */
	public static function report( array $start, string $fired_until ): array {
		register_shutdown_function(
			static function () use ( $start ): void {
				$end = array(
					'inserts' => self::inserts() - $start['inserts'],
					'rows'    => self::rows() - $start['rows'],
				);
				update_option( self::OPTION, wp_json_encode( $end ), false );
			}
		);
		return array(
			'inserts'     => self::inserts() - $start['inserts'],
			'rows'        => self::rows() - $start['rows'],
			'fired_from'  => $start['fired_from'],
			'fired_until' => $fired_until,
		);
	}

	/**
	 * The current UTC time with microseconds, 'Y-m-d H:i:s.u' (as the inbox's occurred_at).
	 */
	public static function utc_now(): string {
		list( $fraction, $seconds ) = explode( ' ', microtime() );
		return gmdate( 'Y-m-d H:i:s', (int) $seconds ) . '.' . substr( $fraction, 2, 6 );
	}

	/**
	 * INSERT statements run by this database session so far.
	 */
	private static function inserts(): int {
		global $wpdb;
		$row = $wpdb->get_row( "SHOW SESSION STATUS LIKE 'Com_insert'", ARRAY_N );
		return (int) ( $row[1] ?? -1 );
	}

	/**
	 * Rows in the inbox table.
	 */
	private static function rows(): int {
		global $wpdb;
		// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared,WordPress.DB.DirectDatabaseQuery -- a table name.
		return (int) $wpdb->get_var( "SELECT COUNT(*) FROM `{$wpdb->prefix}fcwh_inbox`" );
	}
}

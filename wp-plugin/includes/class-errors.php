<?php
/**
 * WP_Error instances for the error codes of the contracts, with translatable messages.
 *
 * @package FluentCommunityWebhooks
 */

declare(strict_types=1);

namespace FluentCommunityWebhooks;

use WP_Error;

defined( 'ABSPATH' ) || exit;

/**
 * Builds the errors PHP answers itself; every other error comes from the sidecar unchanged.
 */
final class Errors {

	/**
	 * A WP_Error for a code of the contracts, with its HTTP status.
	 *
	 * @param string      $code    Error code from shared/errors.ts.
	 * @param string|null $message Message to use instead of the contract's default.
	 * @param int|null    $status  HTTP status to use instead of the contract's.
	 */
	public static function make( string $code, ?string $message = null, ?int $status = null ): WP_Error {
		$contract = Contracts::error( $code );
		return new WP_Error(
			$code,
			$message ?? self::message( $code ),
			array( 'status' => $status ?? (int) $contract['status'] )
		);
	}

	/**
	 * The translated default message of an error code.
	 *
	 * Translation tools only see literal strings, so the messages PHP sends are spelled out below, keyed by the
	 * contract's English text. When shared/errors.ts changes a message, the lookup misses and the new contract
	 * text is still used (and translated at run time if a translation exists): the contract always wins.
	 *
	 * @param string $code Error code from shared/errors.ts.
	 */
	public static function message( string $code ): string {
		$english = Contracts::error( $code )['message'];
		$known   = array(
			"Sorry, you don't have permission to manage webhooks."            => __( "Sorry, you don't have permission to manage webhooks.", 'fluent-community-webhooks' ),
			'The webhooks service is not reachable. Please try again shortly.' => __( 'The webhooks service is not reachable. Please try again shortly.', 'fluent-community-webhooks' ),
		);
		// phpcs:ignore WordPress.WP.I18n.NonSingularStringLiteralText -- contract text without a literal above.
		return $known[ $english ] ?? translate( $english, 'fluent-community-webhooks' );
	}
}

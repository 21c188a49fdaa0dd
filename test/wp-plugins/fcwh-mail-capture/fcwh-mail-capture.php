<?php
/**
 * Plugin Name:       FCWH Test: mail and action capture
 * Description:       TEST ONLY. Stores every wp_mail() message in the option fcwh_test_mail instead of sending it, and every fluent_community_webhooks/webhook_disabled action in the option fcwh_test_disabled.
 * Version:           0.1.0
 * Requires at least: 6.0
 * Requires PHP:      7.4
 * License:           GPL-2.0-or-later
 *
 * @package FcwhTest\MailCapture
 */

declare(strict_types=1);

defined( 'ABSPATH' ) || exit;

// Short-circuits wp_mail(): the message is kept for the test to read, and reported as sent.
add_filter(
	'pre_wp_mail',
	static function ( $short_circuit, array $atts ) {
		$mail   = (array) get_option( 'fcwh_test_mail', array() );
		$mail[] = array(
			'to'      => $atts['to'],
			'subject' => $atts['subject'],
			'message' => $atts['message'],
		);
		update_option( 'fcwh_test_mail', $mail, false );
		return true;
	},
	10,
	2
);

add_action(
	'fluent_community_webhooks/webhook_disabled',
	static function ( int $webhook_id, string $reason ): void {
		$seen   = (array) get_option( 'fcwh_test_disabled', array() );
		$seen[] = array(
			'webhook_id' => $webhook_id,
			'reason'     => $reason,
		);
		update_option( 'fcwh_test_disabled', $seen, false );
	},
	10,
	2
);

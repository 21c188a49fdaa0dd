<?php
/**
 * Plugin Name:       Fluent Community Webhooks
 * Description:       Outgoing, signed and retried webhooks for Fluent Community events, delivered by a companion service.
 * Version:           0.1.0
 * Requires at least: 6.0
 * Requires PHP:      7.4
 * License:           GPL-2.0-or-later
 * License URI:       https://www.gnu.org/licenses/gpl-2.0.html
 * Text Domain:       fluent-community-webhooks
 *
 * @package FluentCommunityWebhooks
 */

declare(strict_types=1);

defined( 'ABSPATH' ) || exit;

require_once __DIR__ . '/includes/class-contracts.php';
require_once __DIR__ . '/includes/class-errors.php';
require_once __DIR__ . '/includes/class-permissions.php';
require_once __DIR__ . '/includes/class-json-body.php';
require_once __DIR__ . '/includes/class-sidecar-endpoint.php';
require_once __DIR__ . '/includes/class-sidecar-client.php';
require_once __DIR__ . '/includes/class-sidecar-health.php';
require_once __DIR__ . '/includes/class-shared-namespace.php';
require_once __DIR__ . '/includes/class-rest-routes.php';
require_once __DIR__ . '/includes/class-webhook-disabled.php';
require_once __DIR__ . '/includes/class-hook-arguments.php';
require_once __DIR__ . '/includes/class-inbox-writer.php';
require_once __DIR__ . '/includes/class-inbox.php';
require_once __DIR__ . '/includes/class-hook-listener.php';
require_once __DIR__ . '/includes/class-activation.php';
require_once __DIR__ . '/includes/class-sidecar-notice.php';
require_once __DIR__ . '/includes/class-site-health.php';
require_once __DIR__ . '/includes/class-plugin.php';

FluentCommunityWebhooks\Plugin::bootstrap( __FILE__ );

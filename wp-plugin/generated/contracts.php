<?php
/**
 * Contracts generated from shared/ by scripts/generate-php.ts. Do not edit: run `npm run generate`.
 *
 * @package FluentCommunityWebhooks
 */

declare(strict_types=1);

defined( 'ABSPATH' ) || exit;

return array(
	'version' => '0.1.0',
	'namespaces' => array(
		'shared' => 'fluent-community/v2',
		'own' => 'fluent-community-webhooks/v1',
	),
	'routes' => array(
		array(
			'name' => 'listWebhooks',
			'method' => 'GET',
			'wp_path' => '/admin/webhooks',
			'sidecar_path' => '/admin/webhooks',
			'params' => array(),
			'timeout' => 10,
			'summary' => 'List webhooks, paginated and filtered.',
			'args' => array(
				'page' => array(
					'type' => 'string',
					'description' => 'Page number, from 1.',
				),
				'per_page' => array(
					'type' => 'string',
					'description' => 'Webhooks per page (1-100, default 10).',
				),
				'search' => array(
					'type' => 'string',
					'description' => 'Matches name or URL.',
				),
				'status' => array(
					'type' => 'string',
					'description' => 'Only webhooks with this status.',
				),
				'event' => array(
					'type' => 'string',
					'description' => 'Only webhooks subscribed to this event.',
				),
			),
		),
		array(
			'name' => 'createWebhook',
			'method' => 'POST',
			'wp_path' => '/admin/webhooks',
			'sidecar_path' => '/admin/webhooks',
			'params' => array(),
			'timeout' => 10,
			'summary' => 'Create a webhook.',
			'args' => array(
				'name' => array(
					'type' => 'string',
					'description' => 'Webhook name/description.',
				),
				'url' => array(
					'type' => 'string',
					'description' => 'Target URL (must be HTTPS).',
				),
				'events' => array(
					'type' => 'array',
					'description' => 'List of event types to subscribe to ("*" for all).',
				),
				'status' => array(
					'type' => 'string',
					'description' => 'Webhook status: active or inactive.',
				),
				'secret' => array(
					'type' => 'string',
					'description' => 'Secret key for signature verification (generated when omitted).',
				),
				'headers' => array(
					'type' => 'object',
					'description' => 'Custom HTTP headers to send.',
				),
				'retry_count' => array(
					'type' => 'integer',
					'description' => 'Retry attempts on failure (0-10).',
				),
				'filters' => array(
					'type' => 'object',
					'description' => 'Which subscribed events pass, by space and actor: {"spaces": [ids], "privacy": ["public", ...], "exclude_roles": [roles]}.',
				),
				'format' => array(
					'type' => 'string',
					'description' => 'Body format: json, slack, discord, sendgrid, template, teams (from the URL when omitted on create).',
				),
				'template' => array(
					'type' => 'string',
					'description' => 'Liquid template of the body (format "template" only).',
				),
				'content_type' => array(
					'type' => 'string',
					'description' => 'Content-Type of a template\'s body (default application/json).',
				),
				'options' => array(
					'type' => 'object',
					'description' => 'Options of the format: display_name and avatar_url (chat), to, from and subject_prefix (sendgrid).',
				),
				'rate_limit' => array(
					'type' => 'number',
					'description' => 'Requests per second at most; null for the format\'s default.',
				),
			),
		),
		array(
			'name' => 'previewFormat',
			'method' => 'POST',
			'wp_path' => '/admin/webhooks/preview',
			'sidecar_path' => '/admin/webhooks/preview',
			'params' => array(),
			'timeout' => 10,
			'summary' => 'Render an event\'s example payload in a format, without sending: the exact body and headers.',
			'args' => array(
				'format' => array(
					'type' => 'string',
					'description' => 'Body format: json, slack, discord, sendgrid, template, teams (from the URL when omitted on create).',
				),
				'template' => array(
					'type' => 'string',
					'description' => 'Liquid template of the body (format "template" only).',
				),
				'content_type' => array(
					'type' => 'string',
					'description' => 'Content-Type of a template\'s body (default application/json).',
				),
				'options' => array(
					'type' => 'object',
					'description' => 'Options of the format: display_name and avatar_url (chat), to, from and subject_prefix (sendgrid).',
				),
				'event' => array(
					'type' => 'string',
					'description' => 'The event whose example payload is rendered.',
				),
			),
		),
		array(
			'name' => 'listEvents',
			'method' => 'GET',
			'wp_path' => '/admin/webhooks/events',
			'sidecar_path' => '/admin/webhooks/events',
			'params' => array(),
			'timeout' => 10,
			'summary' => 'The event catalogue: every event with its description, hooks, JSON Schema and an example payload.',
			'args' => array(),
		),
		array(
			'name' => 'getWebhook',
			'method' => 'GET',
			'wp_path' => '/admin/webhooks/(?P<id>\\d+)',
			'sidecar_path' => '/admin/webhooks/{id}',
			'params' => array(
				'id',
			),
			'timeout' => 10,
			'summary' => 'Get one webhook.',
			'args' => array(),
		),
		array(
			'name' => 'updateWebhook',
			'method' => 'PUT',
			'wp_path' => '/admin/webhooks/(?P<id>\\d+)',
			'sidecar_path' => '/admin/webhooks/{id}',
			'params' => array(
				'id',
			),
			'timeout' => 10,
			'summary' => 'Update a webhook.',
			'args' => array(
				'name' => array(
					'type' => 'string',
					'description' => 'Webhook name/description.',
				),
				'url' => array(
					'type' => 'string',
					'description' => 'Target URL (must be HTTPS).',
				),
				'events' => array(
					'type' => 'array',
					'description' => 'List of event types to subscribe to ("*" for all).',
				),
				'status' => array(
					'type' => 'string',
					'description' => 'Webhook status: active or inactive.',
				),
				'headers' => array(
					'type' => 'object',
					'description' => 'Custom HTTP headers to send.',
				),
				'retry_count' => array(
					'type' => 'integer',
					'description' => 'Retry attempts on failure (0-10).',
				),
				'filters' => array(
					'type' => 'object',
					'description' => 'Which subscribed events pass, by space and actor: {"spaces": [ids], "privacy": ["public", ...], "exclude_roles": [roles]}.',
				),
				'format' => array(
					'type' => 'string',
					'description' => 'Body format: json, slack, discord, sendgrid, template, teams (from the URL when omitted on create).',
				),
				'template' => array(
					'type' => 'string',
					'description' => 'Liquid template of the body (format "template" only).',
				),
				'content_type' => array(
					'type' => 'string',
					'description' => 'Content-Type of a template\'s body (default application/json).',
				),
				'options' => array(
					'type' => 'object',
					'description' => 'Options of the format: display_name and avatar_url (chat), to, from and subject_prefix (sendgrid).',
				),
				'rate_limit' => array(
					'type' => 'number',
					'description' => 'Requests per second at most; null for the format\'s default.',
				),
			),
		),
		array(
			'name' => 'deleteWebhook',
			'method' => 'DELETE',
			'wp_path' => '/admin/webhooks/(?P<id>\\d+)',
			'sidecar_path' => '/admin/webhooks/{id}',
			'params' => array(
				'id',
			),
			'timeout' => 10,
			'summary' => 'Delete a webhook.',
			'args' => array(),
		),
		array(
			'name' => 'testWebhook',
			'method' => 'POST',
			'wp_path' => '/admin/webhooks/(?P<id>\\d+)/test',
			'sidecar_path' => '/admin/webhooks/{id}/test',
			'params' => array(
				'id',
			),
			'timeout' => 40,
			'summary' => 'Send a signed test payload to the webhook URL and report the outcome; with an event, also whether that event\'s example would be filtered out.',
			'args' => array(
				'event' => array(
					'type' => 'string',
					'description' => 'An event whose example payload is checked against the webhook\'s filters.',
				),
			),
		),
		array(
			'name' => 'previewWebhook',
			'method' => 'POST',
			'wp_path' => '/admin/webhooks/(?P<id>\\d+)/preview',
			'sidecar_path' => '/admin/webhooks/{id}/preview',
			'params' => array(
				'id',
			),
			'timeout' => 10,
			'summary' => 'Render what the webhook would send for an event\'s example or one of its deliveries, without sending.',
			'args' => array(
				'event' => array(
					'type' => 'string',
					'description' => 'The event whose example payload is rendered.',
				),
				'delivery_id' => array(
					'type' => 'integer',
					'description' => 'A delivery of this webhook whose payload is rendered.',
				),
			),
		),
		array(
			'name' => 'rotateSecret',
			'method' => 'POST',
			'wp_path' => '/admin/webhooks/(?P<id>\\d+)/rotate-secret',
			'sidecar_path' => '/admin/webhooks/{id}/rotate-secret',
			'params' => array(
				'id',
			),
			'timeout' => 10,
			'summary' => 'Issue a new secret; the old one keeps signing during the overlap window.',
			'args' => array(),
		),
		array(
			'name' => 'listDeliveries',
			'method' => 'GET',
			'wp_path' => '/admin/webhooks/(?P<id>\\d+)/deliveries',
			'sidecar_path' => '/admin/webhooks/{id}/deliveries',
			'params' => array(
				'id',
			),
			'timeout' => 10,
			'summary' => 'A webhook\'s delivery log, newest first, paginated and filtered by status and event.',
			'args' => array(
				'page' => array(
					'type' => 'string',
					'description' => '',
				),
				'per_page' => array(
					'type' => 'string',
					'description' => '',
				),
				'status' => array(
					'type' => 'string',
					'description' => '',
				),
				'event' => array(
					'type' => 'string',
					'description' => '',
				),
			),
		),
		array(
			'name' => 'getDelivery',
			'method' => 'GET',
			'wp_path' => '/admin/webhooks/(?P<id>\\d+)/deliveries/(?P<delivery_id>\\d+)',
			'sidecar_path' => '/admin/webhooks/{id}/deliveries/{delivery_id}',
			'params' => array(
				'id',
				'delivery_id',
			),
			'timeout' => 10,
			'summary' => 'One delivery with its payload and every attempt.',
			'args' => array(),
		),
		array(
			'name' => 'redeliver',
			'method' => 'POST',
			'wp_path' => '/admin/webhooks/(?P<id>\\d+)/deliveries/(?P<delivery_id>\\d+)/redeliver',
			'sidecar_path' => '/admin/webhooks/{id}/deliveries/{delivery_id}/redeliver',
			'params' => array(
				'id',
				'delivery_id',
			),
			'timeout' => 10,
			'summary' => 'Send a delivery again now (same event id, a fresh retry budget).',
			'args' => array(),
		),
		array(
			'name' => 'replay',
			'method' => 'POST',
			'wp_path' => '/admin/webhooks/(?P<id>\\d+)/replay',
			'sidecar_path' => '/admin/webhooks/{id}/replay',
			'params' => array(
				'id',
			),
			'timeout' => 10,
			'summary' => 'Queue again every failed delivery of the webhook created since a given time (UTC).',
			'args' => array(
				'since' => array(
					'type' => 'string',
					'description' => '',
				),
				'until' => array(
					'type' => 'string',
					'description' => '',
				),
			),
		),
		array(
			'name' => 'listQuarantine',
			'method' => 'GET',
			'wp_path' => '/admin/inbox/quarantine',
			'sidecar_path' => '/admin/inbox/quarantine',
			'params' => array(),
			'timeout' => 10,
			'summary' => 'Inbox rows set aside because they could not be turned into events, oldest first, each with the reason.',
			'args' => array(
				'page' => array(
					'type' => 'string',
					'description' => 'Page number, from 1.',
				),
				'per_page' => array(
					'type' => 'string',
					'description' => 'Rows per page (1-100, default 20).',
				),
			),
		),
		array(
			'name' => 'retryQuarantined',
			'method' => 'POST',
			'wp_path' => '/admin/inbox/quarantine/(?P<id>\\d+)/retry',
			'sidecar_path' => '/admin/inbox/quarantine/{id}/retry',
			'params' => array(
				'id',
			),
			'timeout' => 10,
			'summary' => 'Move a quarantined row back into the inbox, to be turned into events again.',
			'args' => array(),
		),
	),
	'sidecar' => array(
		'ingest' => '/events',
		'wake' => '/events/wake',
		'health' => '/healthz',
		'ready' => '/readyz',
		'auth_header' => 'authorization',
		'acting_user_header' => 'x-fcwh-acting-user',
		'user_agent' => 'FluentCommunityWebhooks/0.1.0',
	),
	'site_calls' => array(
		'tolerance_seconds' => 120,
		'signature_pattern' => '/^t=([0-9]{1,12}),v1=([0-9a-f]{64})$/D',
		'loop_guard' => array(
			'header' => 'x-fcwh-loop-guard',
			'purpose' => 'fcwh-loop-guard.v1',
		),
		'webhook_disabled' => array(
			'method' => 'POST',
			'path' => '/internal/webhook-disabled',
			'header' => 'x-fcwh-signature',
			'purpose' => 'fcwh-webhook-disabled.v1',
			'args' => array(
				'webhook_id' => array(
					'type' => 'integer',
					'description' => 'The webhook the service disabled.',
					'minimum' => 1,
					'maximum' => 9007199254740991,
					'required' => true,
				),
				'reason' => array(
					'type' => 'string',
					'description' => 'Why: the last error, or the 410 answer.',
					'minLength' => 1,
					'maxLength' => 2000,
					'required' => true,
				),
			),
		),
	),
	'hooks' => array(
		array(
			'hook' => 'fluent_community/feed/created',
			'accepted_args' => 1,
			'forward' => array(
				0,
			),
			'once_per_request' => false,
			'before' => null,
		),
		array(
			'hook' => 'fluent_community/feed/updated',
			'accepted_args' => 2,
			'forward' => array(
				0,
				1,
			),
			'once_per_request' => false,
			'before' => null,
		),
		array(
			'hook' => 'fluent_community/feed/deleted',
			'accepted_args' => 1,
			'forward' => array(
				0,
			),
			'once_per_request' => false,
			'before' => array(
				'hook' => 'fluent_community/feed/before_deleted',
				'keep' => array(
					'id',
					'space_id',
					'user_id',
					'type',
					'content_type',
					'space',
				),
			),
		),
		array(
			'hook' => 'fluent_community/comment_added',
			'accepted_args' => 3,
			'forward' => array(
				0,
				1,
			),
			'once_per_request' => false,
			'before' => null,
		),
		array(
			'hook' => 'fluent_community/comment_updated',
			'accepted_args' => 2,
			'forward' => array(
				0,
				1,
			),
			'once_per_request' => false,
			'before' => null,
		),
		array(
			'hook' => 'fluent_community/comment_deleted',
			'accepted_args' => 2,
			'forward' => array(
				0,
				1,
			),
			'once_per_request' => false,
			'before' => null,
		),
		array(
			'hook' => 'fluent_community/feed/react_added',
			'accepted_args' => 2,
			'forward' => array(
				0,
				1,
			),
			'once_per_request' => false,
			'before' => null,
		),
		array(
			'hook' => 'fluent_community/comment/react_added',
			'accepted_args' => 3,
			'forward' => array(
				0,
				1,
				2,
			),
			'once_per_request' => false,
			'before' => null,
		),
		array(
			'hook' => 'fluent_community/feed/react_removed',
			'accepted_args' => 1,
			'forward' => array(
				0,
			),
			'once_per_request' => false,
			'before' => null,
		),
		array(
			'hook' => 'fluent_community/comment/react_removed',
			'accepted_args' => 2,
			'forward' => array(
				0,
				1,
			),
			'once_per_request' => false,
			'before' => null,
		),
		array(
			'hook' => 'fluent_community/space/created',
			'accepted_args' => 2,
			'forward' => array(
				0,
			),
			'once_per_request' => false,
			'before' => null,
		),
		array(
			'hook' => 'fluent_community/space/updated',
			'accepted_args' => 2,
			'forward' => array(
				0,
			),
			'once_per_request' => true,
			'before' => null,
		),
		array(
			'hook' => 'fluent_community/space/deleted',
			'accepted_args' => 1,
			'forward' => array(
				0,
			),
			'once_per_request' => false,
			'before' => array(
				'hook' => 'fluent_community/space/before_delete',
				'keep' => array(
					'id',
					'parent_id',
					'type',
					'privacy',
					'status',
				),
			),
		),
		array(
			'hook' => 'fluent_community/space/joined',
			'accepted_args' => 4,
			'forward' => array(
				0,
				1,
				2,
			),
			'once_per_request' => false,
			'before' => null,
		),
		array(
			'hook' => 'fluent_community/space/user_left',
			'accepted_args' => 3,
			'forward' => array(
				0,
				1,
				2,
			),
			'once_per_request' => false,
			'before' => null,
		),
		array(
			'hook' => 'user_register',
			'accepted_args' => 2,
			'forward' => array(
				0,
			),
			'once_per_request' => false,
			'before' => null,
		),
		array(
			'hook' => 'profile_update',
			'accepted_args' => 3,
			'forward' => array(
				0,
			),
			'once_per_request' => false,
			'before' => null,
		),
		array(
			'hook' => 'fluent_community/followed_user',
			'accepted_args' => 2,
			'forward' => array(
				0,
				1,
			),
			'once_per_request' => false,
			'before' => null,
		),
		array(
			'hook' => 'fluent_community/before_unfollowing_user',
			'accepted_args' => 2,
			'forward' => array(
				0,
				1,
			),
			'once_per_request' => false,
			'before' => null,
		),
		array(
			'hook' => 'fluent_community/course/enrolled',
			'accepted_args' => 4,
			'forward' => array(
				0,
				1,
				2,
			),
			'once_per_request' => false,
			'before' => null,
		),
		array(
			'hook' => 'fluent_community/course/student_left',
			'accepted_args' => 3,
			'forward' => array(
				0,
				1,
				2,
			),
			'once_per_request' => false,
			'before' => null,
		),
		array(
			'hook' => 'fluent_community/course/lesson_completed',
			'accepted_args' => 2,
			'forward' => array(
				0,
				1,
			),
			'once_per_request' => false,
			'before' => null,
		),
		array(
			'hook' => 'fluent_community/content_moderation/created',
			'accepted_args' => 3,
			'forward' => array(
				0,
				1,
				2,
			),
			'once_per_request' => false,
			'before' => null,
		),
		array(
			'hook' => 'fluent_community/report/published',
			'accepted_args' => 2,
			'forward' => array(
				0,
				1,
			),
			'once_per_request' => false,
			'before' => null,
		),
		array(
			'hook' => 'fluent_community/report/unpublished',
			'accepted_args' => 2,
			'forward' => array(
				0,
				1,
			),
			'once_per_request' => false,
			'before' => null,
		),
		array(
			'hook' => 'fluent_community/report/pending',
			'accepted_args' => 2,
			'forward' => array(
				0,
				1,
			),
			'once_per_request' => false,
			'before' => null,
		),
		array(
			'hook' => 'fluent_community/report/rejected',
			'accepted_args' => 2,
			'forward' => array(
				0,
				1,
			),
			'once_per_request' => false,
			'before' => null,
		),
		array(
			'hook' => 'fluent_community/report/flagged',
			'accepted_args' => 2,
			'forward' => array(
				0,
				1,
			),
			'once_per_request' => false,
			'before' => null,
		),
		array(
			'hook' => 'fluent_community/report/ignored',
			'accepted_args' => 2,
			'forward' => array(
				0,
				1,
			),
			'once_per_request' => false,
			'before' => null,
		),
	),
	'errors' => array(
		'rest_forbidden' => array(
			'status' => 403,
			'message' => 'Sorry, you don\'t have permission to manage webhooks.',
		),
		'rest_invalid_param' => array(
			'status' => 400,
			'message' => 'Invalid parameter.',
		),
		'invalid_json' => array(
			'status' => 400,
			'message' => 'The request body is not valid JSON.',
		),
		'invalid_body' => array(
			'status' => 400,
			'message' => 'The request body must be a JSON object.',
		),
		'invalid_name' => array(
			'status' => 400,
			'message' => 'Webhook name must be a non-empty string of at most 191 characters.',
		),
		'invalid_url' => array(
			'status' => 400,
			'message' => 'Webhook URL must use HTTPS protocol.',
		),
		'url_not_allowed' => array(
			'status' => 400,
			'message' => 'Webhook URL points to a private, loopback or reserved address, which is not allowed.',
		),
		'invalid_events' => array(
			'status' => 400,
			'message' => 'Events must be a non-empty list of known event names.',
		),
		'invalid_status' => array(
			'status' => 400,
			'message' => 'Status must be "active" or "inactive".',
		),
		'invalid_secret' => array(
			'status' => 400,
			'message' => 'Secret must be 16 to 255 printable ASCII characters without spaces.',
		),
		'invalid_headers' => array(
			'status' => 400,
			'message' => 'Headers must be an object of header names to string values.',
		),
		'invalid_retry_count' => array(
			'status' => 400,
			'message' => 'retry_count must be an integer from 0 to 10.',
		),
		'invalid_filters' => array(
			'status' => 400,
			'message' => 'Filters must be {"spaces": [space ids], "privacy": ["public", "private", "secret"], "exclude_roles": [roles]}.',
		),
		'invalid_format' => array(
			'status' => 400,
			'message' => 'Format must be one of: json, slack, discord, sendgrid, template, teams.',
		),
		'invalid_template' => array(
			'status' => 400,
			'message' => 'The template is not valid.',
		),
		'template_output_invalid' => array(
			'status' => 400,
			'message' => 'The template does not produce valid JSON for every event while content_type is JSON.',
		),
		'invalid_content_type' => array(
			'status' => 400,
			'message' => 'content_type must be a media type such as application/json.',
		),
		'invalid_options' => array(
			'status' => 400,
			'message' => 'The options do not fit the webhook\'s format.',
		),
		'invalid_rate_limit' => array(
			'status' => 400,
			'message' => 'rate_limit must be a number of requests per second from 0 to 1000, or null for the format\'s default.',
		),
		'invalid_event' => array(
			'status' => 400,
			'message' => 'event must be one of the event names.',
		),
		'invalid_event_payload' => array(
			'status' => 400,
			'message' => 'The event is not valid.',
		),
		'not_found' => array(
			'status' => 404,
			'message' => 'Webhook not found.',
		),
		'delivery_not_found' => array(
			'status' => 404,
			'message' => 'Delivery not found.',
		),
		'quarantined_row_not_found' => array(
			'status' => 404,
			'message' => 'No such row in the quarantine.',
		),
		'delivery_in_flight' => array(
			'status' => 409,
			'message' => 'The delivery is being attempted right now; try again in a moment.',
		),
		'rate_limited' => array(
			'status' => 429,
			'message' => 'Too many tests of this webhook; try again shortly.',
		),
		'route_not_found' => array(
			'status' => 404,
			'message' => 'No route was found matching the URL and request method.',
		),
		'unauthorized' => array(
			'status' => 401,
			'message' => 'A valid shared secret is required.',
		),
		'unsupported_media_type' => array(
			'status' => 415,
			'message' => 'The request body must be sent as application/json.',
		),
		'payload_too_large' => array(
			'status' => 413,
			'message' => 'The request body is too large.',
		),
		'sidecar_unavailable' => array(
			'status' => 503,
			'message' => 'The webhooks service is not reachable. Please try again shortly.',
		),
		'not_ready' => array(
			'status' => 503,
			'message' => 'The webhooks service is not ready.',
		),
		'internal_error' => array(
			'status' => 500,
			'message' => 'An internal error occurred.',
		),
	),
	'shared_secret' => array(
		'min_bytes' => 32,
		'min_distinct_bytes' => 10,
		'allowed_pattern' => '/^[\\x21-\\x7e]+$/D',
	),
	'events' => array(
		'feed.created' => 'New feed post created',
		'feed.updated' => 'Feed post updated',
		'feed.deleted' => 'Feed post deleted',
		'feed.pinned' => 'Feed post pinned',
		'feed.unpinned' => 'Feed post unpinned',
		'comment.created' => 'New comment added',
		'comment.updated' => 'Comment updated',
		'comment.deleted' => 'Comment deleted',
		'reaction.added' => 'Reaction added to content',
		'reaction.removed' => 'Reaction removed from content',
		'space.created' => 'New space created',
		'space.updated' => 'Space updated',
		'space.deleted' => 'Space deleted',
		'space.member_joined' => 'User joined space',
		'space.member_left' => 'User left space',
		'user.registered' => 'New user registered',
		'user.profile_updated' => 'User profile updated',
		'user.followed' => 'User followed another user (PRO)',
		'user.unfollowed' => 'User unfollowed another user (PRO)',
		'course.enrolled' => 'User enrolled in course',
		'course.unenrolled' => 'User unenrolled from course',
		'lesson.completed' => 'User completed lesson',
		'report.created' => 'New moderation report submitted',
		'report.resolved' => 'Moderation report resolved',
	),
	'inbox' => array(
		'table' => 'fcwh_inbox',
		'ddl' => 'CREATE TABLE IF NOT EXISTS {prefix}fcwh_inbox ( id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT, hook VARCHAR(191) NOT NULL, args LONGTEXT NOT NULL, actor_id BIGINT UNSIGNED NOT NULL DEFAULT 0, request_id VARCHAR(64) NOT NULL DEFAULT \'\', occurred_at DATETIME(6) NOT NULL, PRIMARY KEY (id) ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;',
		'max_args_bytes' => 524288,
		'max_elements' => 10000,
	),
);

import type { WP_REST_API_Error } from 'wp-types';

/** Error codes the API can answer, each with its HTTP status and default message (WordPress's error shape). */
export const errorCodes = {
  rest_forbidden: { status: 403, message: "Sorry, you don't have permission to manage webhooks." },
  rest_invalid_param: { status: 400, message: 'Invalid parameter.' },
  invalid_json: { status: 400, message: 'The request body is not valid JSON.' },
  invalid_body: { status: 400, message: 'The request body must be a JSON object.' },
  invalid_name: {
    status: 400,
    message: 'Webhook name must be a non-empty string of at most 191 characters.',
  },
  invalid_url: { status: 400, message: 'Webhook URL must use HTTPS protocol.' },
  url_not_allowed: {
    status: 400,
    message: 'Webhook URL points to a private, loopback or reserved address, which is not allowed.',
  },
  invalid_events: { status: 400, message: 'Events must be a non-empty list of known event names.' },
  invalid_status: { status: 400, message: 'Status must be "active" or "inactive".' },
  invalid_secret: {
    status: 400,
    message: 'Secret must be 16 to 255 printable ASCII characters without spaces.',
  },
  invalid_headers: { status: 400, message: 'Headers must be an object of header names to string values.' },
  invalid_retry_count: { status: 400, message: 'retry_count must be an integer from 0 to 10.' },
  invalid_filters: {
    status: 400,
    message:
      'Filters must be {"spaces": [space ids], "privacy": ["public", "private", "secret"], "exclude_roles": [roles]}.',
  },
  invalid_format: {
    status: 400,
    message: 'Format must be one of: json, slack, discord, sendgrid, template, teams.',
  },
  invalid_template: { status: 400, message: 'The template is not valid.' },
  template_output_invalid: {
    status: 400,
    message: 'The template does not produce valid JSON for every event while content_type is JSON.',
  },
  invalid_content_type: {
    status: 400,
    message: 'content_type must be a media type such as application/json.',
  },
  invalid_options: { status: 400, message: "The options do not fit the webhook's format." },
  invalid_rate_limit: {
    status: 400,
    message:
      "rate_limit must be a number of requests per second from 0 to 1000, or null for the format's default.",
  },
  invalid_event: { status: 400, message: 'event must be one of the event names.' },
  invalid_event_payload: { status: 400, message: 'The event is not valid.' },
  not_found: { status: 404, message: 'Webhook not found.' },
  delivery_not_found: { status: 404, message: 'Delivery not found.' },
  quarantined_row_not_found: { status: 404, message: 'No such row in the quarantine.' },
  delivery_in_flight: {
    status: 409,
    message: 'The delivery is being attempted right now; try again in a moment.',
  },
  rate_limited: {
    status: 429,
    message: 'Too many tests of this webhook; try again shortly.',
  },
  route_not_found: { status: 404, message: 'No route was found matching the URL and request method.' },
  unauthorized: { status: 401, message: 'A valid shared secret is required.' },
  unsupported_media_type: { status: 415, message: 'The request body must be sent as application/json.' },
  payload_too_large: { status: 413, message: 'The request body is too large.' },
  sidecar_unavailable: {
    status: 503,
    message: 'The webhooks service is not reachable. Please try again shortly.',
  },
  not_ready: { status: 503, message: 'The webhooks service is not ready.' },
  internal_error: { status: 500, message: 'An internal error occurred.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorCodes;

/** The JSON body of every error response, as WordPress's REST API shapes a WP_Error. */
export interface ErrorBody extends Omit<WP_REST_API_Error, 'code' | 'data'> {
  code: ErrorCode;
  data: Omit<WP_REST_API_Error['data'], 'status'> & { status: number };
}

/** The request headers of one delivery attempt (custom, the format's, ours, the signatures) and what the log keeps. */
import { userAgent } from '../../../../shared/version.ts';
import { signatureHeaders } from '../sign/signer.ts';

export interface AttemptInput {
  event: string;
  msgId: string;
  /** The rendered bytes, exactly as sent: the signatures cover them. */
  body: string | Buffer;
  webhookId: number;
  customHeaders: Readonly<Record<string, string>>;
  /** The rendered body's media type (default application/json). */
  contentType?: string;
  /** Headers the rendered format needs, after the custom ones (ours still win). */
  formatHeaders?: Readonly<Record<string, string>> | undefined;
  secret: string;
  previousSecret: string | null;
  /** Unix seconds of this attempt. */
  timestamp: number;
}

/**
 * Custom headers first, then the format's, then ours (validation keeps custom headers from overriding them
 * anyway).
 */
export function attemptHeaders(input: AttemptInput): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name in input.customHeaders) headers[name.toLowerCase()] = input.customHeaders[name]!;
  const format = input.formatHeaders;
  if (format) for (const name in format) headers[name.toLowerCase()] = format[name]!;
  headers['content-type'] = input.contentType ?? 'application/json';
  headers['user-agent'] = userAgent;
  headers['x-fluent-event'] = input.event;
  headers['x-fluent-webhook-id'] = String(input.webhookId);
  return Object.assign(
    headers,
    signatureHeaders({
      body: input.body,
      msgId: input.msgId,
      timestamp: input.timestamp,
      secret: input.secret,
      previousSecret: input.previousSecret,
    }),
  );
}

const signatureNames = ['x-fluent-signature', 'x-fluent-signature-previous', 'webhook-signature'];

/**
 * Request headers as stored in the delivery log: signatures and custom header values are not kept. `customNames`
 * as in the webhook's settings (any case).
 */
export function loggableHeaders(
  headers: Record<string, string>,
  customNames: string[],
): Record<string, string> {
  const logged: Record<string, string> = {};
  for (const name in headers) logged[name] = headers[name]!;
  for (const name of signatureNames) if (name in logged) logged[name] = '[redacted]';
  for (const name of customNames) {
    const lower = name.toLowerCase();
    if (lower in logged) logged[lower] = '[redacted]';
  }
  return logged;
}

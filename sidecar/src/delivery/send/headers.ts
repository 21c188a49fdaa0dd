/** The HTTP request of one delivery attempt: payload envelope and headers. */
import { userAgent } from '../../../../shared/version.ts';
import { signatureHeaders } from '../sign/signer.ts';

/** The spec's payload structure, as compact JSON (what is signed is exactly what is sent). */
export function envelope(event: string, timestamp: Date, data: unknown, xprofile: unknown): string {
  return JSON.stringify({
    event,
    timestamp: timestamp.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    data,
    xprofile,
  });
}

export interface AttemptInput {
  event: string;
  msgId: string;
  body: string;
  webhookId: number;
  customHeaders: Readonly<Record<string, string>>;
  secret: string;
  previousSecret: string | null;
  /** Unix seconds of this attempt. */
  timestamp: number;
}

/** Custom headers first, then ours (validation keeps custom headers from overriding them anyway). */
export function attemptHeaders(input: AttemptInput): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name in input.customHeaders) headers[name.toLowerCase()] = input.customHeaders[name]!;
  headers['content-type'] = 'application/json';
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

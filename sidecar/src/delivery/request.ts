/** The HTTP request of one delivery attempt: payload envelope and headers. */
import { userAgent } from '../../../shared/version.ts';
import { signatureHeaders } from './signer.ts';

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
  customHeaders: Record<string, string>;
  secret: string;
  previousSecret: string | null;
  /** Unix seconds of this attempt. */
  timestamp: number;
}

/** Custom headers first, then ours (validation keeps custom headers from overriding them anyway). */
export function attemptHeaders(input: AttemptInput): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.customHeaders)) headers[name.toLowerCase()] = value;
  return {
    ...headers,
    'content-type': 'application/json',
    'user-agent': userAgent,
    'x-fluent-event': input.event,
    'x-fluent-webhook-id': String(input.webhookId),
    ...signatureHeaders({
      body: input.body,
      msgId: input.msgId,
      timestamp: input.timestamp,
      secret: input.secret,
      previousSecret: input.previousSecret,
    }),
  };
}

/** Request headers as stored in the delivery log: signatures and custom header values are not kept. */
export function loggableHeaders(
  headers: Record<string, string>,
  customNames: string[],
): Record<string, string> {
  const hidden = new Set([
    'x-fluent-signature',
    'x-fluent-signature-previous',
    'webhook-signature',
    ...customNames.map((n) => n.toLowerCase()),
  ]);
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, hidden.has(k) ? '[redacted]' : v]));
}

/** Structured JSON logs (pino) with secrets, authorization headers and payload bodies redacted. */
import { pino, type Logger } from 'pino';

export type { Logger };

/** Paths pino censors wherever they appear in a log record. */
export const redactPaths = [
  'secret',
  '*.secret',
  'password',
  '*.password',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  'body',
  '*.body',
  'payload',
  '*.payload',
  'config.secret',
  'config.encryptionKey',
  'config.db.password',
  // mysql2 errors carry the statement with its values inlined (an event's payload, a webhook's headers...).
  'sql',
  '*.sql',
];

/** Creates the process logger. `destination` defaults to stdout. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    { level, base: { svc: 'fcwh-sidecar' }, redact: { paths: redactPaths, censor: '[redacted]' } },
    destination,
  );
}

/**
 * A receiver for fault tests that tallies what it accepted by `webhook-id`, and can go down (port closed), come
 * back on the same port, answer slowly or hang.
 */
import { inject } from 'vitest';
import { startReceiver, type ReceivedRequest, type Receiver } from '../../scripts/stack/receiver.ts';
import { readTls } from '../../scripts/stack/tls.ts';

export interface Arrival {
  /** `webhook-id`: the event's stable message id. */
  id: string;
  /** `data.id` of the payload (the producer's sequence number). */
  seq: number;
  /** `x-fluent-webhook-id`: which webhook it was for. */
  webhook: string;
  at: number;
}

export interface TallyOptions {
  /** Milliseconds before answering, per request (default 0). */
  delayMs?: () => number;
}

export interface Tally {
  readonly port: number;
  /** `https://127.0.0.1:<port><path>` */
  url(path?: string): string;
  /** Every request answered (or about to be answered) 2xx, oldest first. */
  readonly accepted: readonly Arrival[];
  /** Requests that arrived while the receiver hung or refused, by message id. */
  readonly refused: readonly Arrival[];
  /** How many times each message id was accepted. */
  counts(webhook?: string): Map<string, number>;
  /** Closes the port: senders get ECONNREFUSED. */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  /** Holds every request open for `ms` without answering (a hanging receiver); undefined = answer normally. */
  hang(ms: number | undefined): void;
  close(): Promise<void>;
}

function arrival(r: ReceivedRequest): Arrival {
  let seq = -1;
  try {
    seq = Number((JSON.parse(r.body) as { data?: { id?: unknown } }).data?.id ?? -1);
  } catch {
    // A body that is not the envelope keeps seq -1; the assertions will show it.
  }
  return {
    id: r.headers['webhook-id'] ?? '',
    seq,
    webhook: r.headers['x-fluent-webhook-id'] ?? '',
    at: r.receivedAt,
  };
}

export async function startTally(options: TallyOptions = {}): Promise<Tally> {
  const tls = readTls(inject('stack').tls);
  const accepted: Arrival[] = [];
  const refused: Arrival[] = [];
  let hangMs: number | undefined;
  let receiver: Receiver | undefined = await startReceiver({ tls });
  const port = receiver.port;

  const install = (r: Receiver) =>
    r.setResponder((request) => {
      const a = arrival(request);
      if (hangMs !== undefined) {
        refused.push(a);
        return { delayMs: hangMs, status: 504 };
      }
      accepted.push(a);
      return { delayMs: options.delayMs?.() ?? 0 };
    });
  install(receiver);

  return {
    port,
    url: (path = '/hook') => `https://127.0.0.1:${port}${path}`,
    accepted,
    refused,
    counts(webhook) {
      const counts = new Map<string, number>();
      for (const a of accepted)
        if (webhook === undefined || a.webhook === webhook) counts.set(a.id, (counts.get(a.id) ?? 0) + 1);
      return counts;
    },
    async down() {
      await receiver?.close();
      receiver = undefined;
    },
    async up() {
      if (receiver) return;
      receiver = await startReceiver({ tls, port });
      install(receiver);
    },
    hang(ms) {
      hangMs = ms;
    },
    async close() {
      await receiver?.close();
      receiver = undefined;
    },
  };
}

/** Prometheus metrics (prom-client): counters fed by the worker, gauges read from the database on scrape. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RowDataPacket } from 'mysql2';
import type { Pool, Tables } from './db/pool.ts';
import type { AttemptResult } from './delivery/pipeline.ts';

export interface Metrics {
  readonly registry: Registry;
  /** Counts finished attempts by outcome and observes their duration. */
  recordAttempts(results: AttemptResult[]): void;
  countIngested(events: number): void;
  /** Counts inbox rows set aside in the quarantine. */
  countQuarantined(rows: number): void;
}

export function createMetrics(db: Pool, t: Tables): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'fcwh_' });
  const attempts = new Counter({
    name: 'fcwh_delivery_attempts_total',
    help: 'Delivery attempts by outcome (delivered, retry, give_up).',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const deliveries = new Counter({
    name: 'fcwh_deliveries_total',
    help: 'Deliveries that reached a final state, by outcome (delivered, failed).',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'fcwh_attempt_duration_seconds',
    help: 'Duration of delivery attempts (connect, request and response), in seconds.',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const ingested = new Counter({
    name: 'fcwh_events_ingested_total',
    help: 'Events stored.',
    registers: [registry],
  });
  const quarantined = new Counter({
    name: 'fcwh_inbox_quarantined_total',
    help: 'Inbox rows set aside in the quarantine because they could not be turned into events.',
    registers: [registry],
  });
  const gauge = (name: string, help: string, sql: string) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        const [rows] = await db.query<RowDataPacket[]>(sql);
        this.set(Number(rows[0]?.v ?? 0));
      },
    });
  gauge(
    'fcwh_queue_depth',
    'Deliveries pending or in flight.',
    `SELECT COUNT(*) AS v FROM ${t.deliveries} WHERE status IN ('pending', 'in_flight')`,
  );
  gauge(
    'fcwh_oldest_due_seconds',
    'Age of the oldest delivery that is due and not yet sent, in seconds (0 when none).',
    `SELECT COALESCE(TIMESTAMPDIFF(SECOND, MIN(next_attempt_at), UTC_TIMESTAMP(3)), 0) AS v FROM ${t.deliveries}
     WHERE status = 'pending' AND next_attempt_at <= UTC_TIMESTAMP(3)`,
  );
  gauge(
    'fcwh_inbox_depth',
    'Action calls in the inbox, not yet turned into events.',
    `SELECT COUNT(*) AS v FROM ${t.inbox}`,
  );
  gauge(
    'fcwh_inbox_quarantine_depth',
    'Inbox rows in the quarantine now, waiting to be looked at and retried (GET /admin/inbox/quarantine).',
    `SELECT COUNT(*) AS v FROM ${t.quarantine}`,
  );
  gauge(
    'fcwh_webhooks_disabled',
    'Webhooks whose status is inactive.',
    `SELECT COUNT(*) AS v FROM ${t.webhooks} WHERE status = 'inactive'`,
  );
  gauge(
    'fcwh_webhooks_active',
    'Webhooks whose status is active.',
    `SELECT COUNT(*) AS v FROM ${t.webhooks} WHERE status = 'active'`,
  );
  return {
    registry,
    recordAttempts(results) {
      // Counted here and added once per outcome and batch: prom-client hashes the labels on every inc().
      const counts = { delivered: 0, retry: 0, give_up: 0 };
      for (const r of results) {
        counts[r.outcome.kind]++;
        latency.observe(r.ms / 1000);
      }
      for (const [outcome, n] of Object.entries(counts)) if (n > 0) attempts.inc({ outcome }, n);
      if (counts.delivered > 0) deliveries.inc({ outcome: 'delivered' }, counts.delivered);
      if (counts.give_up > 0) deliveries.inc({ outcome: 'failed' }, counts.give_up);
    },
    countIngested: (n) => ingested.inc(n),
    countQuarantined: (n) => quarantined.inc(n),
  };
}

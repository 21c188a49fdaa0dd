/** What the HTTP handlers and the worker are given: nothing reads globals or the environment. */
import type { Config } from './config.ts';
import type { Pool, Tables } from './db/pool.ts';
import type { Sender } from './delivery/send/sender.ts';
import type { Logger } from './log.ts';
import type { Metrics } from './metrics.ts';
import type { Cipher } from './secrets.ts';

export interface Deps {
  readonly config: Config;
  readonly db: Pool;
  /** Connections that take several statements per query, for `runScript` only (db/pool.ts createScriptPool). */
  readonly scriptDb: Pool;
  readonly tables: Tables;
  readonly log: Logger;
  readonly cipher: Cipher;
  readonly sender: Sender;
  /** Tells the ingest and delivery loops there is work now (no waiting for the next poll). */
  readonly wake: () => void;
  /** Worker liveness for /readyz. */
  readonly workerRunning: () => boolean;
  readonly now: () => Date;
  readonly metrics: Metrics;
  /** Tells WordPress (action + admin e-mail) that a webhook was disabled automatically. */
  readonly notifyDisabled: (webhookId: number, reason: string) => void;
}

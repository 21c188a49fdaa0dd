/** An in-process sidecar (app + worker) on this file's own database, for tests that need no WordPress. */
import { randomBytes } from 'node:crypto';
import { expect, inject } from 'vitest';
import type { DestinationStream } from 'pino';
import { loadConfig, type Config } from '../../sidecar/src/config.ts';
import type { Worker } from '../../sidecar/src/delivery/worker.ts';
import type { Deps } from '../../sidecar/src/deps.ts';
import { createLogger } from '../../sidecar/src/log.ts';
import { startRuntime, type RuntimeOptions } from '../../sidecar/src/runtime.ts';
import { readTls } from '../../scripts/stack/tls.ts';
import { startReceiver, type Receiver } from '../../scripts/stack/receiver.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';
import { perFile } from './per-file.ts';

export interface SidecarHarness {
  deps: Deps;
  config: Config;
  worker: Worker;
  receiver: Receiver;
  database: TestDatabase;
  /** Calls the app in-process with the shared secret (JSON body when `body` is an object). */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  /** The same, answering status and parsed JSON. */
  json<T = any>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T; headers: Headers }>;
  /** Creates a webhook to the receiver's `/<name>` subscribed to `events` (answered 201); resolves with its id. */
  webhook(name: string, events: string[]): Promise<number>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  /** Start the delivery worker (default true). */
  worker?: boolean;
  /** The worker's longest idle wait between polls, in milliseconds (default 200). */
  pollMs?: number;
  /** Where the sidecar's JSON log goes (default: nowhere at level silent). */
  logDestination?: DestinationStream;
  /** The sender's DNS resolver (default `dns.lookup`). */
  lookup?: RuntimeOptions['lookup'];
}

export async function startSidecarHarness(options: HarnessOptions = {}): Promise<SidecarHarness> {
  const stack = inject('stack');
  const database = await createTestDatabase('sidecar');
  const tls = readTls(stack.tls);
  const receiver = await startReceiver({ tls });
  const { creds } = database;
  const config = loadConfig({
    FCWH_SECRET: randomBytes(32).toString('hex'),
    FCWH_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    FCWH_DB_HOST: `${creds.host}:${creds.port}`,
    FCWH_DB_NAME: creds.name,
    FCWH_DB_USER: creds.user,
    FCWH_DB_PASSWORD: creds.password,
    FCWH_TABLE_PREFIX: 'wp_',
    FCWH_ALLOW_TARGETS: `127.0.0.1:${receiver.port}`,
    FCWH_CA_FILE: stack.tls.caFile,
    FCWH_RETRY_SCHEDULE: '0.05,0.1,0.2',
    FCWH_REQUEST_TIMEOUT_MS: '2000',
    FCWH_LOG_LEVEL: 'silent',
    ...options.env,
  });
  const runtime = await startRuntime(config, createLogger(config.logLevel, options.logDestination), {
    startWorker: options.worker !== false,
    worker: { pollMs: options.pollMs ?? 200 },
    ...(options.lookup ? { lookup: options.lookup } : {}),
  });
  const { deps, worker, app } = runtime;
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    Promise.resolve(
      app.request(path, {
        method,
        headers: { authorization: `Bearer ${config.secret}`, 'content-type': 'application/json', ...headers },
        ...(body === undefined ? {} : { body: rawBody(body) }),
      }),
    );
  return {
    deps,
    config,
    worker,
    receiver,
    database,
    call,
    async json(method, path, body) {
      const res = await call(method, path, body);
      return { status: res.status, body: await res.json(), headers: res.headers };
    },
    async webhook(name, events) {
      const res = await call('POST', '/admin/webhooks', { name, url: `${receiver.url}/${name}`, events });
      const body = (await res.json()) as { id: number };
      expect(res.status).toBe(201);
      return Number(body.id);
    },
    async close() {
      await runtime.close(3000);
      await receiver.close();
      await database.close();
    },
  };
}

/** Strings and bytes go as they are (malformed bodies), anything else as JSON. */
const rawBody = (body: unknown): string | Uint8Array<ArrayBuffer> =>
  typeof body === 'string' ? body : body instanceof Uint8Array ? new Uint8Array(body) : JSON.stringify(body);

/** beforeAll/afterAll wrapper: one harness per test file. */
export function useSidecarHarness(options: HarnessOptions = {}): () => SidecarHarness {
  return perFile(
    'the sidecar harness',
    () => startSidecarHarness(options),
    (h) => h.close(),
  );
}

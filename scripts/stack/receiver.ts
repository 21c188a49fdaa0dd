/** A webhook receiver on 127.0.0.1 (HTTPS with the local CA's certificate, optionally plain HTTP) that records requests. */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TlsMaterial } from './tls.ts';

/** One request as it arrived. */
export interface ReceivedRequest {
  method: string;
  /** Path and query string, e.g. `/hooks/a?x=1`. */
  path: string;
  /** Lower-cased names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  /** The raw body, decoded as UTF-8. */
  body: string;
  /** Arrival time, epoch milliseconds (before any programmed delay). */
  receivedAt: number;
  /** `https` or `http`: which listener took it. */
  scheme: 'https' | 'http';
}

/** How to answer one request; each field defaults to the receiver's default answer (200 "ok", no delay). */
export interface ReceiverAnswer {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  /** Wait this many milliseconds before answering. */
  delayMs?: number;
  /** Destroy the socket instead of answering (a network error for the sender). */
  hangUp?: boolean;
}

/** Chooses an answer; `index` counts requests from 0 since start (or the last `clear()`). */
export type Responder = (request: ReceivedRequest, index: number) => ReceiverAnswer | Promise<ReceiverAnswer>;

export interface ReceiverOptions {
  /** Certificate and key for HTTPS; see tls.ts. */
  tls: TlsMaterial;
  /** HTTPS port; 0 (default) = any free port. */
  port?: number;
  /** Also listen on plain HTTP: a port (0 = any free one); omitted = no HTTP listener. */
  httpPort?: number;
  /** Append each request as one JSON line to this file. */
  logFile?: string;
}

export interface Receiver {
  /** `https://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  readonly port: number;
  /** `http://127.0.0.1:<httpPort>` when a plain listener was asked for. */
  readonly httpUrl: string | undefined;
  /** Every request so far, oldest first. */
  readonly requests: readonly ReceivedRequest[];
  /** Queue answers: the next requests get them in order; afterwards the responder or default applies again. */
  respondWith(...answers: ReceiverAnswer[]): void;
  /** Answer with `fn` once the queue is empty; `undefined` restores the default. */
  setResponder(fn: Responder | undefined): void;
  /** Resolves with the first `count` requests matching `filter` (all by default); rejects after `timeoutMs` (default 10 000). */
  waitForRequests(
    count: number,
    options?: { timeoutMs?: number; filter?: (request: ReceivedRequest) => boolean },
  ): Promise<ReceivedRequest[]>;
  /**
   * Resolves once no request has arrived for `quietMs` (counted from the call or the latest request, whichever is
   * later), with every request recorded by then; rejects when that takes longer than `timeoutMs` (default
   * 30 000). A check that something arrived exactly once waits for this, so that a duplicate sent by a later
   * claim, poll or retry is seen: `quietMs` must exceed the sender's wake-up and claim interval.
   */
  waitForQuiet(quietMs: number, options?: { timeoutMs?: number }): Promise<ReceivedRequest[]>;
  /** Forget recorded requests, queued answers and the responder. */
  clear(): void;
  /** Stops both listeners, cutting open connections. */
  close(): Promise<void>;
}

/** Starts the receiver and resolves once it listens. */
export async function startReceiver(options: ReceiverOptions): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  let queue: ReceiverAnswer[] = [];
  let responder: Responder | undefined;
  const waiters = new Set<() => void>();
  const timers = new Set<NodeJS.Timeout>();

  const handler = (scheme: 'https' | 'http') => (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headersDistinct))
        headers[name] = (value ?? []).join(', ');
      const record: ReceivedRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers,
        body: Buffer.concat(chunks).toString('utf8'),
        receivedAt: Date.now(),
        scheme,
      };
      const index = requests.push(record) - 1;
      if (options.logFile) fs.appendFileSync(options.logFile, JSON.stringify(record) + '\n');
      for (const wake of waiters) wake();
      void answer(record, index, res);
    });
  };

  async function answer(record: ReceivedRequest, index: number, res: http.ServerResponse): Promise<void> {
    let chosen: ReceiverAnswer;
    try {
      chosen = queue.shift() ?? (responder ? await responder(record, index) : {});
    } catch (error) {
      chosen = { status: 500, body: `responder failed: ${String(error)}` };
    }
    if (chosen.delayMs) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => (timers.delete(timer), resolve()), chosen.delayMs);
        timers.add(timer);
      });
    }
    if (res.destroyed) return;
    if (chosen.hangUp) return void res.socket?.destroy();
    res.writeHead(chosen.status ?? 200, { 'content-type': 'text/plain', ...chosen.headers });
    res.end(chosen.body ?? 'ok');
  }

  const secure = https.createServer({ cert: options.tls.cert, key: options.tls.key }, handler('https'));
  const plain = options.httpPort === undefined ? undefined : http.createServer(handler('http'));
  const port = await listen(secure, options.port ?? 0);
  const httpPort = plain ? await listen(plain, options.httpPort ?? 0) : undefined;

  return {
    url: `https://127.0.0.1:${port}`,
    port,
    httpUrl: httpPort === undefined ? undefined : `http://127.0.0.1:${httpPort}`,
    requests,
    respondWith: (...answers) => void queue.push(...answers),
    setResponder: (fn) => void (responder = fn),
    clear() {
      requests.length = 0;
      queue = [];
      responder = undefined;
    },
    waitForRequests(count, { timeoutMs = 10_000, filter = () => true } = {}) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const matching = requests.filter(filter);
          if (matching.length < count) return;
          cleanup();
          resolve(matching.slice(0, count));
        };
        const timer = setTimeout(() => {
          cleanup();
          const seen = requests.map((r) => `${r.method} ${r.path}`).join(', ') || 'none';
          reject(
            new Error(`receiver: wanted ${count} matching request(s) within ${timeoutMs} ms; got: ${seen}`),
          );
        }, timeoutMs);
        const cleanup = () => (clearTimeout(timer), waiters.delete(check));
        waiters.add(check);
        check();
      });
    },
    waitForQuiet(quietMs, { timeoutMs = 30_000 } = {}) {
      const started = Date.now();
      return new Promise((resolve, reject) => {
        let timer: NodeJS.Timeout;
        const arm = () => {
          clearTimeout(timer);
          const last = Math.max(started, requests.at(-1)?.receivedAt ?? 0);
          if (Date.now() - started > timeoutMs) {
            waiters.delete(arm);
            reject(
              new Error(`receiver: still receiving after ${timeoutMs} ms (${requests.length} requests)`),
            );
            return;
          }
          timer = setTimeout(
            () => {
              if ((requests.at(-1)?.receivedAt ?? 0) > last) return arm();
              waiters.delete(arm);
              resolve([...requests]);
            },
            Math.max(0, last + quietMs - Date.now()),
          );
        };
        waiters.add(arm);
        arm();
      });
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      await Promise.all([secure, plain].map((server) => server && closeServer(server)));
    },
  };
}

function listen(server: http.Server | https.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function closeServer(server: http.Server | https.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Starts and drives the receiver process (receiver-child.ts) from the benchmark. */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { TlsFiles } from '../stack/tls.ts';
import type { Arrival, ReceiverCommand } from './receiver-child.ts';

export interface ReceiverStats {
  count: number;
  unique: number;
  duplicates: number;
  /** Epoch ms of the first and last counted request. */
  first: number;
  last: number;
}

export interface BenchReceiver {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  readonly scheme: 'https' | 'http';
  stats(): Promise<ReceiverStats>;
  arrivals(): Promise<Arrival[]>;
  /** Start or stop recording each arrival (latency figures); counting never stops. */
  record(on: boolean): Promise<void>;
  reset(): Promise<void>;
  /** Outage: stop listening and cut connections. */
  down(): Promise<void>;
  /** Back on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

function ask<T>(child: ChildProcess, command: ReceiverCommand, reply: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`receiver: no ${reply} answer`)), 30_000);
    const onMessage = (message: { type: string } & T) => {
      if (message.type !== reply) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(message);
    };
    child.on('message', onMessage);
    child.send(command);
  });
}

/** Forks a receiver on 127.0.0.1 (HTTPS with the local CA's certificate, or plain HTTP). */
export async function startBenchReceiver(scheme: 'https' | 'http', tls: TlsFiles): Promise<BenchReceiver> {
  const child = fork(path.join(import.meta.dirname, 'receiver-child.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      BENCH_RECEIVER_SCHEME: scheme,
      BENCH_TLS_CERT: tls.certFile,
      BENCH_TLS_KEY: tls.keyFile,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const { port } = await new Promise<{ port: number }>((resolve, reject) => {
    child.once('message', (m: { type: string; port: number }) => resolve(m));
    child.once('exit', (code) => reject(new Error(`receiver exited (${code}) before listening`)));
  });
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    port,
    pid: child.pid!,
    scheme,
    stats: () => ask<ReceiverStats>(child, { cmd: 'stats' }, 'stats'),
    arrivals: async () =>
      (await ask<{ arrivals: Arrival[] }>(child, { cmd: 'arrivals' }, 'arrivals')).arrivals,
    record: async (on) => void (await ask(child, { cmd: 'record', on }, 'ok')),
    reset: async () => void (await ask(child, { cmd: 'reset' }, 'ok')),
    down: async () => void (await ask(child, { cmd: 'down' }, 'ok')),
    up: async () => void (await ask(child, { cmd: 'up' }, 'listening')),
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Polling until a condition holds, with a deadline and the last failure in the error. */
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface WaitOptions {
  /** Give up after this many milliseconds. */
  timeoutMs?: number;
  /** Pause between attempts, in milliseconds. */
  intervalMs?: number;
  /** Checked before each attempt; when it returns a string, waiting stops with that as the error. */
  abort?: () => string | undefined;
}

/**
 * Calls `probe` until it returns a value other than `undefined`/`false` or the deadline passes.
 * A throwing probe counts as "not yet"; its last error is quoted when waiting times out.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  { timeoutMs = 30_000, intervalMs = 100, abort }: WaitOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    const reason = abort?.();
    if (reason) throw new Error(`${what}: ${reason}`);
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      const detail = last instanceof Error ? `; last error: ${last.message}` : '';
      throw new Error(`${what}: not ready after ${timeoutMs} ms${detail}`);
    }
    await sleep(intervalMs);
  }
}

/** GET `url` and resolve with the status code, or throw on a network error. Plain fetch, no TLS options. */
export async function httpStatus(url: string, init?: RequestInit): Promise<number> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(5_000) });
  await response.arrayBuffer();
  return response.status;
}

/** True when something accepts TCP connections on `host:port`. */
export function tcpOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.setTimeout(2_000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

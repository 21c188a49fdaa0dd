/**
 * One HTTP exchange of an attempt, through undici's dispatcher with a handler of its own: the hard deadline, the
 * read cap and the excerpt without what `request()` builds per call and the sender never used (an AbortSignal and
 * its listener, a response stream, a parsed header object, an async resource).
 */
import type { Dispatcher } from 'undici';
import { errors as undiciErrors } from 'undici';
import { describeError, excerptOf, parseRetryAfter } from './response.ts';

/** The outcome of one HTTP attempt: a value, never an exception. `ms` is the whole attempt's duration. */
export type SendResult =
  | { ok: true; status: number; ms: number; excerpt: string }
  | { ok: false; status: number | null; ms: number; error: string; excerpt: string; retryAfter?: number };

export interface ExchangeLimits {
  /** Whole-attempt deadline in milliseconds (queueing, connect, headers and body together). */
  timeoutMs: number;
  /** How much of a response body to read, in bytes; the connection is cut there. */
  maxReadBytes: number;
  /** How much of it to keep as the excerpt, in characters. */
  excerptChars: number;
}

export interface ExchangeRequest {
  origin: string;
  /** Path and query. */
  path: string;
  headers: Record<string, string>;
  body: string | Buffer;
}

/**
 * POSTs `request` through `dispatcher`; resolves (never rejects) when the answer is read up to the cap, when the
 * exchange fails, or at the deadline, whichever comes first. `started` is the attempt's `performance.now()`.
 */
export function exchange(
  dispatcher: Dispatcher,
  request: ExchangeRequest,
  limits: ExchangeLimits,
  started: number,
): Promise<SendResult> {
  return new Promise((resolve) => {
    const handler = new ExchangeHandler(limits, started, resolve);
    dispatcher.dispatch(
      {
        origin: request.origin,
        path: request.path,
        method: 'POST',
        headers: request.headers,
        body: request.body,
      },
      handler,
    );
  });
}

/** The deadline's reason, handed to undici's abort (the attempt itself is already answered "Timed out."). */
const deadlineError = () => new undiciErrors.RequestAbortedError('Attempt deadline reached.');

function onDeadline(handler: ExchangeHandler): void {
  handler.deadline();
}

/** undici's handler interface (onConnect … onComplete | onError), one per attempt. */
class ExchangeHandler implements Dispatcher.DispatchHandler {
  private abortRequest: ((reason?: Error) => void) | null = null;
  private timedOut = false;
  private settled = false;
  private status = 0;
  private retryAfter: string | undefined;
  private kept: Buffer[] = [];
  private keptBytes = 0;
  private readBytes = 0;
  private readonly keepBytes: number;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly limits: ExchangeLimits,
    private readonly started: number,
    private readonly resolve: (result: SendResult) => void,
  ) {
    this.keepBytes = Math.min(limits.maxReadBytes, limits.excerptChars * 4);
    // A plain timer, cleared when the attempt ends: unlike AbortSignal.timeout(), nothing keeps the finished
    // request alive until it would fire. Unref'd: an attempt alone does not keep the process running.
    this.timer = setTimeout(onDeadline, limits.timeoutMs, this);
    this.timer.unref();
  }

  /** The deadline passed: answer now, and cut the request (at once, or as soon as it gets its connection). */
  deadline(): void {
    this.timedOut = true;
    this.settle({ ok: false, status: null, ms: this.ms(), error: 'Timed out.', excerpt: '' });
    this.abortRequest?.(deadlineError());
  }

  onConnect(abort: (reason?: Error) => void): void {
    // Queued or connecting when the deadline passed (a hanging TLS handshake is not bounded by undici's timers).
    if (this.timedOut) abort(deadlineError());
    else this.abortRequest = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[] | string[] | null): boolean {
    if (statusCode < 200) return true; // informational: the answer comes after it
    this.status = statusCode;
    if (statusCode >= 300 && rawHeaders) {
      for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
        if (String(rawHeaders[i]).toLowerCase() === 'retry-after') {
          this.retryAfter = String(rawHeaders[i + 1]);
          break;
        }
      }
    }
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.readBytes += chunk.length;
    if (this.keptBytes < this.keepBytes) {
      const part = chunk.subarray(0, this.keepBytes - this.keptBytes);
      this.kept.push(Buffer.from(part)); // a copy: undici's chunk is a view of the socket's read buffer
      this.keptBytes += part.length;
    }
    if (this.readBytes >= this.limits.maxReadBytes) {
      this.answer(); // first: the abort reports an error, which comes too late to count
      this.abortRequest?.();
    }
    return true;
  }

  onComplete(): void {
    this.answer();
  }

  onError(error: Error): void {
    this.settle({ ok: false, status: null, ms: this.ms(), error: describeError(error, false), excerpt: '' });
  }

  private answer(): void {
    const { status } = this;
    const excerpt = excerptOf(this.kept, this.limits.excerptChars);
    if (status >= 200 && status < 300) return this.settle({ ok: true, status, ms: this.ms(), excerpt });
    const retryAfter = parseRetryAfter(this.retryAfter);
    this.settle({
      ok: false,
      status,
      ms: this.ms(),
      error: status >= 300 && status < 400 ? `HTTP ${status} redirect (not followed).` : `HTTP ${status}.`,
      excerpt,
      ...(retryAfter !== undefined ? { retryAfter } : {}),
    });
  }

  private settle(result: SendResult): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    this.kept = [];
    this.resolve(result);
  }

  private ms(): number {
    return Math.round(performance.now() - this.started);
  }
}

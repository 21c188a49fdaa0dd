/**
 * Group commit for `POST /events`: requests that arrive while earlier ones are being written are stored together,
 * in one transaction (one commit and a handful of statements for many requests, instead of six statements and a
 * commit each). Every request is still answered only after its own events are committed.
 */

/** Stores calls; resolves with, per call, the number of events it made (null: rejected). */
export type StoreCalls<C> = (calls: C[]) => Promise<(number | null)[]>;

export interface BatchOptions {
  /** Transactions written at the same time (more hide commit latency; each takes a pooled connection). */
  parallel: number;
  /** Most calls in one transaction (a request is never split). */
  maxCalls: number;
}

interface Waiting<C> {
  calls: C[];
  resolve: (perCall: (number | null)[]) => void;
  reject: (error: unknown) => void;
}

export interface IngestQueue<C> {
  submit(calls: C[]): Promise<(number | null)[]>;
}

export function createIngestQueue<C>(store: StoreCalls<C>, options: BatchOptions): IngestQueue<C> {
  const queue: Waiting<C>[] = [];
  let running = 0;

  /** The oldest requests, up to `maxCalls` calls (at least one request). */
  function take(): Waiting<C>[] {
    let calls = 0;
    let n = 0;
    while (n < queue.length && (n === 0 || calls + queue[n]!.calls.length <= options.maxCalls)) {
      calls += queue[n]!.calls.length;
      n++;
    }
    return queue.splice(0, n);
  }

  async function write(batch: Waiting<C>[]): Promise<void> {
    try {
      const perCall = await store(batch.flatMap((w) => w.calls));
      let at = 0;
      for (const w of batch) {
        w.resolve(perCall.slice(at, (at += w.calls.length)));
      }
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error);
      // One request's failure must not fail the others: each is retried alone, in turn.
      for (const w of batch) await store(w.calls).then(w.resolve, w.reject);
    }
  }

  function pump(): void {
    while (running < options.parallel && queue.length > 0) {
      running++;
      void write(take()).finally(() => {
        running--;
        pump();
      });
    }
  }

  return {
    submit(calls) {
      return new Promise((resolve, reject) => {
        queue.push({ calls, resolve, reject });
        pump();
      });
    },
  };
}

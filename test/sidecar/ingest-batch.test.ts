import { describe, expect, it } from 'vitest';
import { createIngestQueue, type BatchOptions } from '../../sidecar/src/ingest/batch.ts';

/** A queue over a store whose transactions end when the test says so; records each transaction's calls. */
function harness(options: BatchOptions) {
  const transactions: { calls: number[]; end: (error?: Error) => void }[] = [];
  const queue = createIngestQueue<number>(
    (calls) =>
      new Promise((resolve, reject) => {
        transactions.push({
          calls,
          end: (error) => (error ? reject(error) : resolve(calls.map((c) => (c < 0 ? null : 1)))),
        });
      }),
    options,
  );
  const batches = () => transactions.map((t) => t.calls);
  return { queue, transactions, batches };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('group commit', () => {
  it('writes a request at once when no transaction is running', async () => {
    const { queue, batches } = harness({ parallel: 1, maxCalls: 100 });
    void queue.submit([1]);
    await tick();
    expect(batches()).toEqual([[1]]);
  });

  it('stores the requests that arrive while a transaction is written together in the next one', async () => {
    const { queue, transactions, batches } = harness({ parallel: 1, maxCalls: 100 });
    const answers = [[0], [1], [2, 3], [4], [5]].map((calls) => queue.submit(calls));
    await tick();
    expect(batches()).toEqual([[0]]);
    transactions[0]!.end();
    await tick();
    expect(batches()).toEqual([[0], [1, 2, 3, 4, 5]]);
    transactions[1]!.end();
    expect(await Promise.all(answers)).toEqual([[1], [1], [1, 1], [1], [1]]);
  });

  it('never splits a request, and keeps a transaction to maxCalls calls otherwise', async () => {
    const { queue, transactions, batches } = harness({ parallel: 1, maxCalls: 3 });
    for (const calls of [[0], [1, 2], [3], [4, 5, 6, 7], [8]]) void queue.submit(calls);
    for (let i = 0; i < 4; i++) {
      await tick();
      transactions[i]!.end();
    }
    expect(batches()).toEqual([[0], [1, 2, 3], [4, 5, 6, 7], [8]]);
  });

  it('runs up to parallel transactions at once', async () => {
    const { queue, batches } = harness({ parallel: 2, maxCalls: 100 });
    for (const i of [1, 2, 3]) void queue.submit([i]);
    await tick();
    expect(batches()).toEqual([[1], [2]]);
  });

  it('retries each request of a failed transaction alone, so one bad request fails only itself', async () => {
    const { queue, transactions, batches } = harness({ parallel: 1, maxCalls: 100 });
    const first = queue.submit([1]);
    const answers = Promise.allSettled([queue.submit([2]), queue.submit([3])]);
    await tick();
    transactions[0]!.end();
    await tick();
    transactions[1]!.end(new Error('deadlock'));
    await tick();
    transactions[2]!.end(new Error('bad row'));
    await tick();
    transactions[3]!.end();
    expect(await first).toEqual([1]);
    expect(batches()).toEqual([[1], [2, 3], [2], [3]]);
    const [second, third] = await answers;
    expect(second).toMatchObject({ status: 'rejected', reason: new Error('bad row') });
    expect(third).toEqual({ status: 'fulfilled', value: [1] });
  });
});

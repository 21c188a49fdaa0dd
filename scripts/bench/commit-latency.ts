/**
 * The machine's price of one durable commit: single-row autocommit INSERTs on one connection, timed one by one.
 * Every latency figure pays it at least twice (the plugin's inbox write, then the sidecar's drain), so it is printed
 * beside them: a disk whose fsync takes milliseconds bounds P3 and P4 whatever the code does.
 */
import { percentile } from './stats.ts';
import { benchPool, newDatabase, type BenchStack } from './stack.ts';

export interface CommitLatency {
  p50: number;
  p99: number;
  commits: number;
}

export async function measureCommitLatency(stack: BenchStack, commits = 300): Promise<CommitLatency> {
  const pool = benchPool(await newDatabase(stack, 'commit'), 1);
  try {
    await pool.query(
      'CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(64) NOT NULL) ENGINE=InnoDB',
    );
    const ms: number[] = [];
    for (let i = 0; i < commits; i++) {
      const start = performance.now();
      await pool.query('INSERT INTO t (v) VALUES (?)', [`row ${i}`]);
      ms.push(performance.now() - start);
    }
    return { p50: percentile(ms, 50), p99: percentile(ms, 99), commits };
  } finally {
    await pool.end();
  }
}

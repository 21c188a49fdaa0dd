/** inTransaction retries deadlocks and lock-wait timeouts; isTransient tells a passing outage from a real error. */
import { describe, expect, it } from 'vitest';
import { inTransaction, isTransient, type Pool } from '../../sidecar/src/db/pool.ts';

const mysqlError = (errno: number, code: string) => Object.assign(new Error(code), { errno, code });

/** A pool whose connections record what happens to them. */
function fakePool() {
  const log: string[] = [];
  const conn = {
    beginTransaction: async () => void log.push('begin'),
    commit: async () => void log.push('commit'),
    rollback: async () => void log.push('rollback'),
    release: () => void log.push('release'),
  };
  return { log, pool: { getConnection: async () => conn } as unknown as Pool };
}

describe('inTransaction', () => {
  it('runs the work again after a deadlock (1213) and a lock-wait timeout (1205), then commits', async () => {
    const { log, pool } = fakePool();
    const failures = [mysqlError(1213, 'ER_LOCK_DEADLOCK'), mysqlError(1205, 'ER_LOCK_WAIT_TIMEOUT')];
    let runs = 0;
    const result = await inTransaction(pool, async () => {
      runs++;
      const failure = failures.shift();
      if (failure) throw failure;
      return 'done';
    });
    expect(result).toBe('done');
    expect(runs).toBe(3);
    expect(log).toEqual([
      ...['begin', 'rollback', 'release'],
      ...['begin', 'rollback', 'release'],
      ...['begin', 'commit', 'release'],
    ]);
  });

  it('gives up after five deadlocks in a row, and never retries other errors', async () => {
    const { pool } = fakePool();
    let runs = 0;
    await expect(
      inTransaction(pool, async () => {
        runs++;
        throw mysqlError(1213, 'ER_LOCK_DEADLOCK');
      }),
    ).rejects.toThrow('ER_LOCK_DEADLOCK');
    expect(runs).toBe(5);
    runs = 0;
    await expect(
      inTransaction(pool, async () => {
        runs++;
        throw mysqlError(1062, 'ER_DUP_ENTRY');
      }),
    ).rejects.toThrow('ER_DUP_ENTRY');
    expect(runs).toBe(1);
  });
});

describe('isTransient', () => {
  it.each([
    ['deadlock', mysqlError(1213, 'ER_LOCK_DEADLOCK')],
    ['lock-wait timeout', mysqlError(1205, 'ER_LOCK_WAIT_TIMEOUT')],
    ['server shutting down', mysqlError(1053, 'ER_SERVER_SHUTDOWN')],
    ['connection refused', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
    ['connection lost', Object.assign(new Error('Connection lost'), { code: 'PROTOCOL_CONNECTION_LOST' })],
    ['a fatal driver error', Object.assign(new Error('socket closed'), { fatal: true })],
  ])('treats %s as passing', (_label, error) => {
    expect(isTransient(error)).toBe(true);
  });

  it.each([
    ['duplicate key', mysqlError(1062, 'ER_DUP_ENTRY')],
    ['syntax error', mysqlError(1064, 'ER_PARSE_ERROR')],
    ['a plain error', new Error('bug')],
    ['undefined', undefined],
  ])('treats %s as a real error', (_label, error) => {
    expect(isTransient(error)).toBe(false);
  });
});

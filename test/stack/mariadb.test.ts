/** The run's MariaDB, per-file databases, and a private server's lifecycle. */
import path from 'node:path';
import mysql from 'mysql2/promise';
import { describe, expect, inject, it } from 'vitest';
import { ping, rootConnection, startMariaDb } from '../../scripts/stack/mariadb.ts';
import { isAlive } from '../../scripts/stack/process.ts';
import { useTestDatabase } from '../helpers/db.ts';

const db = useTestDatabase('stack_mariadb');

describe('the run MariaDB', () => {
  it('answers root over its socket with durable InnoDB settings', async () => {
    const connection = await rootConnection(inject('stack').mariadb);
    const [rows] = await connection.query(
      'SELECT @@innodb_flush_log_at_trx_commit AS flush, @@version AS version',
    );
    await connection.end();
    expect(rows).toEqual([{ flush: 1, version: expect.stringMatching(/MariaDB/) }]);
  });

  it('gives this file its own database that its user can write over TCP', async () => {
    const { pool, creds } = db();
    await pool.query('CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(10))');
    await pool.query('INSERT INTO t VALUES (1, ?)', ['é']);
    const [rows] = await pool.query('SELECT DATABASE() AS name, v FROM t');
    expect(rows).toEqual([{ name: creds.name, v: 'é' }]);
  });

  it('does not let a file user see another database', async () => {
    const { creds } = db();
    const connection = await mysql.createConnection({
      host: creds.host,
      port: creds.port,
      user: creds.user,
      password: creds.password,
    });
    await expect(connection.query('USE mysql')).rejects.toThrow(/denied/i);
    await connection.end();
  });
});

describe('startMariaDb', () => {
  it('starts a private server on a free port, reuses its data dir after a stop, and stops gracefully', async () => {
    const dir = path.join(inject('stack').runDir, `private-mariadb-${process.pid}`);
    const first = await startMariaDb({ dir });
    const connection = await rootConnection(first);
    await connection.query(
      'CREATE DATABASE kept; CREATE TABLE kept.t (id INT); INSERT INTO kept.t VALUES (7)',
    );
    await connection.end();
    await first.stop();
    expect(isAlive(first.process.pid)).toBe(false);

    const second = await startMariaDb({ dir });
    try {
      expect(await ping(second)).toBe(true);
      const again = await rootConnection(second);
      const [rows] = await again.query('SELECT id FROM kept.t');
      await again.end();
      expect(rows).toEqual([{ id: 7 }]);
    } finally {
      await second.stop();
    }
    expect(second.process.exitInfo()).toEqual({ code: 0, signal: null });
  });
});

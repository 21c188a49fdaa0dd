/**
 * What the sidecar needs of the database server, checked once at start so that an unsuitable server stops it with
 * a clear message (exit 78) instead of failing every write later with an error about binary logs.
 */
import type { RowDataPacket } from 'mysql2';
import type { Pool } from './pool.ts';

export class UnsuitableServerError extends Error {}

interface ServerFacts {
  version: string;
  logBin: number | string | null;
  binlogFormat: string | null;
  /** The sql_mode of the sidecar's session (its pool sets it: db/pool.ts sessionSqlMode). */
  sqlMode: string;
}

/** The problems of a server with these facts, as sentences; empty when it suits. */
export function serverProblems(facts: ServerFacts): string[] {
  const problems: string[] = [];
  const mariadb = /mariadb/i.test(facts.version);
  const [major = 0, minor = 0, patch = 0] = (/^(\d+)\.(\d+)\.(\d+)/.exec(facts.version) ?? [])
    .slice(1)
    .map(Number);
  const at = major * 10_000 + minor * 100 + patch;
  // SKIP LOCKED (claims, the inbox drain): MariaDB 10.6, MySQL 8.0.1.
  if (mariadb ? at < 100600 : at < 80001)
    problems.push(
      `${mariadb ? 'MariaDB' : 'MySQL'} ${facts.version} is too old: SELECT … FOR UPDATE SKIP LOCKED needs MariaDB 10.6 or MySQL 8.0.1 and later`,
    );
  // The sidecar's sessions run in READ COMMITTED (db/pool.ts), under which InnoDB can log only rows.
  if (Number(facts.logBin) === 1 && String(facts.binlogFormat).toUpperCase() === 'STATEMENT')
    problems.push(
      'binlog_format is STATEMENT: the sidecar writes in READ COMMITTED sessions, which InnoDB can log only as rows; set binlog_format=ROW (or MIXED) on the server',
    );
  // Set by every session of the pool; found otherwise, something resets sessions (a proxy, init_connect).
  const quoting = String(facts.sqlMode)
    .toUpperCase()
    .split(',')
    .filter((mode) => mode === 'NO_BACKSLASH_ESCAPES' || mode === 'ANSI_QUOTES');
  if (quoting.length)
    problems.push(
      `the sidecar's sessions run with sql_mode ${quoting.join(',')}, which reads quoted strings differently: each session sets its own sql_mode, and something between the sidecar and the server (a proxy, init_connect) undid it`,
    );
  return problems;
}

/** Throws UnsuitableServerError, naming every problem, when the server cannot run the sidecar. */
export async function checkServer(db: Pool): Promise<void> {
  const [rows] = await db.query<RowDataPacket[]>(
    `SELECT VERSION() AS version, @@GLOBAL.log_bin AS logBin, @@SESSION.binlog_format AS binlogFormat,
       @@SESSION.sql_mode AS sqlMode`,
  );
  const problems = serverProblems(rows[0] as ServerFacts);
  if (problems.length) throw new UnsuitableServerError(problems.join('\n'));
}

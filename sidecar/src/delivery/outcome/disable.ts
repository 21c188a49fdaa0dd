/**
 * Auto-disable: a webhook whose receiver answered 410 Gone is disabled at once; one failing without a success for
 * FCWH_DISABLE_AFTER_SECONDS is disabled by the batch that finds it so. Each check is a statement of the recorder's
 * batch, after the webhook's last error in it, so the reason it writes is what last_error keeps; only the statement
 * that disabled the webhook changes a row, so WordPress is told once (the recorder calls notifyDisabled).
 */
import type { ResultSetHeader, RowDataPacket } from 'mysql2';
import type { Conn, Tables } from '../../db/pool.ts';
import type { Statement } from '../../db/scripts.ts';

/** One disable statement of a batch: its index among the batch's statements, and what it disables. */
export interface DisableCheck {
  index: number;
  webhookId: number;
  /** The 410's error when the webhook answered Gone; null when it is checked for failing too long. */
  goneError: string | null;
}

/**
 * Appends one disable statement per failing webhook (in order of first failure, `goneError` as for DisableCheck)
 * to `statements`, and returns where each is.
 */
export function appendDisableChecks(
  t: Tables,
  statements: Statement[],
  failing: ReadonlyMap<number, string | null>,
  windowSeconds: number,
): DisableCheck[] {
  const checks: DisableCheck[] = [];
  for (const [webhookId, goneError] of failing) {
    checks.push({ index: statements.length, webhookId, goneError });
    statements.push(
      goneError !== null ? disableGone(t, webhookId) : disableIfFailingFor(t, webhookId, windowSeconds),
    );
  }
  return checks;
}

/**
 * The webhooks the batch's statements disabled, with the reason WordPress is told (the admin sees it as
 * last_error), read in the batch's transaction before its commit.
 */
export async function disabledBy(
  conn: Conn,
  t: Tables,
  results: unknown[],
  checks: readonly DisableCheck[],
): Promise<Map<number, string>> {
  const disabled = new Map<number, string>();
  for (const c of checks) {
    if (!changed(results[c.index])) continue;
    disabled.set(c.webhookId, c.goneError ?? (await lastError(conn, t, c.webhookId)));
  }
  return disabled;
}

/**
 * Disables a webhook that has been failing, without a success, for longer than `windowSeconds`. Its result's
 * `affectedRows` is 1 only for the statement that disabled it (so the caller notifies once); the reason it then
 * shows as last_error is read with `lastError`.
 */
export function disableIfFailingFor(t: Tables, webhookId: number, windowSeconds: number): Statement {
  return {
    sql: `UPDATE ${t.webhooks} SET status = 'inactive', updated_at = UTC_TIMESTAMP(),
       last_error = LEFT(CONCAT('Disabled automatically after failing since ', DATE_FORMAT(failing_since, '%Y-%m-%d %H:%i:%s'),
         ' UTC. Last error: ', COALESCE(last_error, 'unknown')), 1024)
     WHERE id = ? AND status = 'active' AND failing_since < UTC_TIMESTAMP(3) - INTERVAL ? SECOND`,
    values: [webhookId, windowSeconds],
  };
}

/** A webhook's last_error as stored. */
export async function lastError(db: Conn, t: Tables, webhookId: number): Promise<string> {
  const [rows] = await db.query<RowDataPacket[]>(`SELECT last_error FROM ${t.webhooks} WHERE id = ?`, [
    webhookId,
  ]);
  return String(rows[0]?.last_error ?? '');
}

/**
 * Disables a webhook whose receiver answered 410 Gone. Its result's `affectedRows` is 1 only for the statement that
 * disabled it: several attempts in flight to it (or other sidecars) get the 410 too, and WordPress is told once.
 */
export function disableGone(t: Tables, webhookId: number): Statement {
  return {
    sql: `UPDATE ${t.webhooks} SET status = 'inactive', updated_at = UTC_TIMESTAMP() WHERE id = ? AND status = 'active'`,
    values: [webhookId],
  };
}

/** Whether a statement's result changed a row (an UPDATE's `affectedRows`). */
export const changed = (result: unknown) => ((result as ResultSetHeader).affectedRows ?? 0) > 0;

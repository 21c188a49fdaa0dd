/**
 * At start, before serving: seals webhooks written before values were bound to their row (v1 values, plain URLs),
 * and checks that every webhook's values open with this key. Those that do not are marked unreadable and
 * deactivated, each with a clear log line, so that a changed key shows at once and never loops in the worker;
 * those marked before that open again (the old key is back) are turned back on.
 */
import * as sql from './db/webhooks.ts';
import { inTransaction, type Conn, type Pool, type Tables } from './db/pool.ts';
import type { Logger } from './log.ts';
import {
  openSealed,
  sealContext,
  sealWebhook,
  unreadableMessage,
  type SealedField,
} from './sealed-webhook.ts';
import { createLegacyDecipher, DecryptError, type Cipher } from './secrets.ts';

export interface SealCheck {
  /** Rows whose v1 values or plain URL were sealed now. */
  upgraded: number;
  /** Webhooks whose values do not open, by id. */
  unreadable: Map<number, SealedField[]>;
}

/** Runs the upgrade and the check over every webhook, one short transaction per row that needs a write. */
export async function checkSealedWebhooks(
  db: Pool,
  t: Tables,
  cipher: Cipher,
  keyMaterial: string,
  log: Logger,
): Promise<SealCheck> {
  const legacy = createLegacyDecipher(keyMaterial);
  const result: SealCheck = { upgraded: 0, unreadable: new Map() };
  for (const id of await sql.selectWebhookIds(db, t)) {
    const row = await sql.selectWebhook(db, t, id);
    if (!row || !needsWrite(row, cipher)) continue;
    await inTransaction(db, async (conn) => {
      const locked = await sql.selectWebhook(conn, t, id, true);
      if (!locked) return;
      const fields = await upgradeRow(conn, t, locked, cipher, legacy);
      if (fields.upgraded) result.upgraded++;
      if (fields.unreadable.length) result.unreadable.set(id, fields.unreadable);
    });
  }
  for (const [webhookId, fields] of result.unreadable)
    log.error({ webhookId, fields }, `webhook deactivated: ${unreadableMessage(fields)}`);
  if (result.upgraded) log.info({ webhooks: result.upgraded }, 'webhook values sealed to their rows');
  return result;
}

const isLegacy = (row: sql.WebhookRow) =>
  row.url_enc === null ||
  [row.secret_enc, row.previous_secret_enc, row.headers_enc].some((v) => v?.startsWith('v1:'));

/** Whether a row needs sealing, marking or unmarking. */
function needsWrite(row: sql.WebhookRow, cipher: Cipher): boolean {
  if (isLegacy(row)) return true;
  const unreadable = openSealed(row, cipher).unreadable.join(',') || null;
  return unreadable !== row.unreadable;
}

async function upgradeRow(
  conn: Conn,
  t: Tables,
  row: sql.WebhookRow,
  cipher: Cipher,
  legacy: (stored: string) => string,
): Promise<{ upgraded: boolean; unreadable: SealedField[] }> {
  const id = Number(row.id);
  const write: sql.WebhookWrite = {};
  let current = row;
  const upgraded = isLegacy(row);
  if (upgraded) {
    // Before migration 009 the URL column held the URL itself.
    const url =
      row.url_enc === null ? row.url : tryOpen(() => cipher.decrypt(row.url_enc!, sealContext('url', id)));
    if (url !== undefined) {
      const openOld = (stored: string | null, field: SealedField) =>
        stored === null
          ? null
          : tryOpen(() =>
              stored.startsWith('v1:') ? legacy(stored) : cipher.decrypt(stored, sealContext(field, id, url)),
            );
      const secret = openOld(row.secret_enc, 'secret');
      const previous = openOld(row.previous_secret_enc, 'previous_secret');
      const headers = openOld(row.headers_enc, 'headers');
      const sealed = sealWebhook(cipher, id, {
        url,
        secret: secret ?? '',
        previousSecret: previous ?? null,
        headers: headers ? (JSON.parse(headers) as Record<string, string>) : {},
      });
      // What does not open keeps its old value: it stays unreadable and is marked below.
      Object.assign(write, {
        url: sealed.url,
        url_enc: sealed.url_enc,
        ...(secret != null ? { secret_enc: sealed.secret_enc } : {}),
        ...(previous != null || row.previous_secret_enc === null
          ? { previous_secret_enc: sealed.previous_secret_enc }
          : {}),
        ...(headers != null ? { headers_enc: sealed.headers_enc } : {}),
      });
      current = { ...row, ...write } as sql.WebhookRow;
    }
  }
  const unreadable = openSealed(current, cipher).unreadable;
  Object.assign(write, markWrite(row, unreadable));
  await sql.updateWebhookColumns(conn, t, id, write);
  return { upgraded, unreadable };
}

/**
 * The columns that mark a webhook unreadable (deactivating it, remembered for its mending) or clear that mark
 * (turning it back on when the sidecar had turned it off).
 */
export function markWrite(row: sql.WebhookRow, unreadable: readonly SealedField[]): sql.WebhookWrite {
  if (unreadable.length)
    return {
      unreadable: unreadable.join(','),
      last_error: unreadableMessage(unreadable),
      ...(row.status === 'active' ? { status: 'inactive', reactivate_when_mended: 1 } : {}),
    };
  if (row.unreadable === null) return {};
  return {
    unreadable: null,
    last_error: null,
    reactivate_when_mended: 0,
    ...(Number(row.reactivate_when_mended) ? { status: 'active' } : {}),
  };
}

function tryOpen(read: () => string): string | undefined {
  try {
    return read();
  } catch (error) {
    if (error instanceof DecryptError) return undefined;
    throw error;
  }
}

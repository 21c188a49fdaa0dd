/**
 * A webhook's credentials at rest: its URL, signing secrets and custom headers, each sealed with AES-256-GCM and
 * bound to its row. The associated data names the field and the webhook id, and for everything but the URL itself
 * the URL too: a database write that moves a value to another row or field, or changes where it goes, makes it
 * fail to open instead of sending a decrypted `Authorization` header to a new host.
 */
import { DecryptError, type Cipher } from './secrets.ts';

/** The stored columns this module reads. */
export interface SealedRow {
  id: number | string;
  /** The masked URL (display and search); the real one is in url_enc. */
  url: string;
  url_enc: string | null;
  secret_enc: string;
  previous_secret_enc: string | null;
  headers_enc: string;
}

export type SealedField = 'url' | 'secret' | 'previous_secret' | 'headers';

/** What was sealed, in the clear. */
export interface OpenedValues {
  url: string;
  secret: string;
  previousSecret: string | null;
  headers: Record<string, string>;
}

/** The columns to write for sealed values. */
export interface SealedColumns {
  url: string;
  url_enc: string;
  secret_enc: string;
  previous_secret_enc: string | null;
  headers_enc: string;
}

/** The associated data of a field: the webhook id, and where its values go. */
export function sealContext(field: SealedField, id: number, url?: string): string {
  return JSON.stringify(field === 'url' ? ['fcwh-webhook', field, id] : ['fcwh-webhook', field, id, url]);
}

/** A webhook whose stored values do not open with this key or in this row. */
export class UnreadableWebhookError extends Error {
  constructor(
    readonly webhookId: number,
    readonly fields: readonly SealedField[],
  ) {
    super(unreadableMessage(fields));
  }
}

/** The error shown in `last_error` and the delivery log: what failed and how to mend it. */
export function unreadableMessage(fields: readonly SealedField[]): string {
  return (
    `The webhook's stored ${fields.join(', ').replaceAll('_', ' ')} cannot be decrypted (the encryption key or ` +
    `wp-config.php's salts changed, or the row was altered); webhook deactivated. Save its URL and headers ` +
    `again and rotate its secret to mend it.`
  );
}

/**
 * `https://hooks.slack.com/...`: scheme, host and port, never the path or query, which in chat webhook URLs
 * (Slack, Discord, Teams) are the credential. A URL that is only an origin is shown whole.
 */
export function maskUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const rest = `${parsed.pathname}${parsed.search}`;
    return rest === '/' || rest === '' ? `${parsed.origin}/` : `${parsed.origin}/...`;
  } catch {
    return '...';
  }
}

/** What opens of a row, field by field; `unreadable` lists what does not. Never throws for a bad value. */
export function openSealed(
  row: SealedRow,
  cipher: Cipher,
): Partial<OpenedValues> & { unreadable: SealedField[] } {
  const id = Number(row.id);
  const unreadable: SealedField[] = [];
  const attempt = <T>(field: SealedField, read: () => T): T | undefined => {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof DecryptError) && !(error instanceof SyntaxError)) throw error;
      unreadable.push(field);
      return undefined;
    }
  };
  const url =
    row.url_enc === null
      ? (unreadable.push('url'), undefined)
      : attempt('url', () => cipher.decrypt(row.url_enc!, sealContext('url', id)));
  if (url === undefined) {
    // Nothing else opens without its URL.
    const rest: SealedField[] = ['secret', 'headers'];
    if (row.previous_secret_enc) rest.splice(1, 0, 'previous_secret');
    return { unreadable: [...unreadable, ...rest] };
  }
  const secret = attempt('secret', () => cipher.decrypt(row.secret_enc, sealContext('secret', id, url)));
  const previousSecret = row.previous_secret_enc
    ? attempt('previous_secret', () =>
        cipher.decrypt(row.previous_secret_enc!, sealContext('previous_secret', id, url)),
      )
    : null;
  const headers = attempt('headers', () => {
    const parsed: unknown = JSON.parse(cipher.decrypt(row.headers_enc, sealContext('headers', id, url)));
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new DecryptError('not an object');
    return parsed as Record<string, string>;
  });
  return {
    url,
    ...(secret !== undefined ? { secret } : {}),
    ...(previousSecret !== undefined ? { previousSecret } : {}),
    ...(headers !== undefined ? { headers } : {}),
    unreadable,
  };
}

/** Every sealed value of a row, or UnreadableWebhookError naming the fields that do not open. */
export function openWebhook(row: SealedRow, cipher: Cipher): OpenedValues {
  const { unreadable, ...opened } = openSealed(row, cipher);
  if (unreadable.length) throw new UnreadableWebhookError(Number(row.id), unreadable);
  return opened as OpenedValues;
}

/** Seals a webhook's values for row `id`. */
export function sealWebhook(cipher: Cipher, id: number, values: OpenedValues): SealedColumns {
  const { url } = values;
  return {
    url: maskUrl(url),
    url_enc: cipher.encrypt(url, sealContext('url', id)),
    secret_enc: cipher.encrypt(values.secret, sealContext('secret', id, url)),
    previous_secret_enc:
      values.previousSecret === null
        ? null
        : cipher.encrypt(values.previousSecret, sealContext('previous_secret', id, url)),
    headers_enc: cipher.encrypt(JSON.stringify(values.headers), sealContext('headers', id, url)),
  };
}

/**
 * A bounded memo of openWebhook for the delivery path (AES-GCM per delivery shows at thousands per second), keyed by
 * the id and every stored value, so a changed row is opened, and judged, again.
 */
export function createWebhookOpener(cipher: Cipher, max = 1000): (row: SealedRow) => OpenedValues {
  const opened = new Map<string, OpenedValues>();
  return (row) => {
    const key = JSON.stringify([
      Number(row.id),
      row.url_enc,
      row.secret_enc,
      row.previous_secret_enc,
      row.headers_enc,
    ]);
    let values = opened.get(key);
    if (!values) {
      values = openWebhook(row, cipher);
      if (opened.size >= max) opened.clear();
      opened.set(key, values);
    }
    return values;
  };
}

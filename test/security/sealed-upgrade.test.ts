/**
 * Rows written by earlier versions (v1 values without associated data, the URL in the clear) keep working: at
 * start they are sealed to their row, and a row that does not open with this key is flagged instead.
 */
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../sidecar/src/log.ts';
import { checkSealedWebhooks } from '../../sidecar/src/sealed-upgrade.ts';
import { useSidecarHarness } from '../helpers/sidecar-app.ts';

const h = useSidecarHarness();

/** A value as versions before row binding wrote it: `v1:` + base64 of nonce, tag and AES-256-GCM data, no AAD. */
function v1(plain: string, keyMaterial: string): string {
  const key = createHash('sha256').update(`fcwh-secrets-at-rest:v1:${keyMaterial}`).digest();
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return `v1:${Buffer.concat([iv, cipher.getAuthTag(), data]).toString('base64')}`;
}

async function insertOld(name: string, url: string, keyMaterial: string): Promise<number> {
  const [result] = await h().deps.db.query(
    `INSERT INTO wp_fcwh_webhooks (name, url, url_enc, status, secret_enc, headers_enc, retry_count, created_at, updated_at)
     VALUES (?, ?, NULL, 'active', ?, ?, 0, UTC_TIMESTAMP(), UTC_TIMESTAMP())`,
    [
      name,
      url,
      v1('whsec_old-secret-value-0123456789', keyMaterial),
      v1('{"Authorization":"Bearer old"}', keyMaterial),
    ],
  );
  const id = (result as { insertId: number }).insertId;
  await h().deps.db.query(
    `INSERT INTO wp_fcwh_subscriptions (event, webhook_id) VALUES ('feed.deleted', ?)`,
    [id],
  );
  return id;
}

describe('rows from before row binding', () => {
  it('seals them at start; they then show, deliver and sign as before', async () => {
    const { receiver, config, deps } = h();
    receiver.setResponder(() => ({ status: 200 }));
    const url = `${receiver.url}/old/T000/B000/chat-token`;
    const id = await insertOld('old', url, config.encryptionKey);
    const check = await checkSealedWebhooks(
      deps.db,
      deps.tables,
      deps.cipher,
      config.encryptionKey,
      createLogger('silent'),
    );
    expect(check).toEqual({ upgraded: 1, unreadable: new Map() });
    const [rows] = await deps.db.query(
      `SELECT url, url_enc, secret_enc, headers_enc FROM wp_fcwh_webhooks WHERE id = ?`,
      [id],
    );
    const row = (rows as Record<string, string>[])[0]!;
    expect(row.url).toBe(`${receiver.url}/...`);
    for (const value of [row.url_enc, row.secret_enc, row.headers_enc]) expect(value).toMatch(/^v2:/);
    const shown = await h().json('GET', `/admin/webhooks/${id}`);
    expect(shown.body).toMatchObject({
      url,
      status: 'active',
      headers: { Authorization: 'Bearer old' },
      secret: 'whsec_old-se...',
    });
    await h().call('POST', '/events', {
      events: [{ hook: 'fluent_community/feed/deleted', args: ['5'], occurred_at: '2024-01-15 10:30:00' }],
    });
    const [req] = await receiver.waitForRequests(1);
    expect(req).toMatchObject({
      path: '/old/T000/B000/chat-token',
      headers: { authorization: 'Bearer old' },
    });
    // Idempotent: a second start finds nothing to do.
    expect(
      await checkSealedWebhooks(
        deps.db,
        deps.tables,
        deps.cipher,
        config.encryptionKey,
        createLogger('silent'),
      ),
    ).toEqual({
      upgraded: 0,
      unreadable: new Map(),
    });
  });

  it('flags and deactivates an old row written under another key, keeping its URL sealed', async () => {
    const { receiver, config, deps } = h();
    const id = await insertOld('other key', `${receiver.url}/other`, 'another-key-material-0123456789abcdef');
    const check = await checkSealedWebhooks(
      deps.db,
      deps.tables,
      deps.cipher,
      config.encryptionKey,
      createLogger('silent'),
    );
    expect(check.unreadable.get(id)).toEqual(['secret', 'headers']);
    const shown = await h().json('GET', `/admin/webhooks/${id}`);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ url: `${receiver.url}/other`, status: 'inactive', secret: '...' });
    expect(shown.body.last_error).toContain('secret, headers cannot be decrypted');
  });
});

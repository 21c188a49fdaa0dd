/** Handlers of the webhook management routes. */
import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { toDbTime } from '../../../shared/datetime.ts';
import { eventDocs } from '../../../shared/event-docs.ts';
import { testEventName } from '../../../shared/events.ts';
import * as s from '../../../shared/schemas.ts';
import { sidecarHeaders, type RouteName } from '../../../shared/routes.ts';
import * as sql from '../db/webhooks.ts';
import { inTransaction } from '../db/pool.ts';
import { sign } from '../delivery/pipeline.ts';
import { render } from '../delivery/render.ts';
import { signingSecrets } from '../delivery/sign/secrets.ts';
import { envelope } from '../ingest/build.ts';
import { checkUrl } from '../delivery/send/target-policy.ts';
import type { Deps } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { generateSecret } from '../secrets.ts';
import { toWebhook } from '../webhook-view.ts';
import { parseId, readJsonObject, validate } from './input.ts';

export type Handler = (c: Context) => Promise<Response>;
type WebhookRoute = Exclude<RouteName, 'listDeliveries' | 'getDelivery' | 'redeliver' | 'replay'>;

/** Refuses URLs that point at private or reserved hosts (the SSRF policy, first check). */
function assertAllowedUrl(url: string, deps: Deps): void {
  const verdict = checkUrl(new URL(url), deps.config);
  if (!verdict.ok) throw new ApiError('url_not_allowed', undefined, { params: { url: verdict.reason } });
}

async function load(deps: Deps, id: number) {
  const row = await sql.selectWebhook(deps.db, deps.tables, id);
  if (!row) throw new ApiError('not_found');
  return row;
}

export function webhookHandlers(deps: Deps): Record<WebhookRoute, Handler> {
  const { db, tables: t, cipher } = deps;
  return {
    async listWebhooks(c) {
      const q = validate(s.listWebhooksQuery, c.req.query());
      const filter = { search: q.search, status: q.status, event: q.event };
      const [rows, total] = await Promise.all([
        sql.selectWebhookPage(db, t, filter, q.per_page, (q.page - 1) * q.per_page),
        sql.countWebhooks(db, t, filter),
      ]);
      c.header('X-WP-Total', String(total));
      c.header('X-WP-TotalPages', String(Math.ceil(total / q.per_page)));
      return c.json({ webhooks: rows.map((row) => toWebhook(row, cipher)) });
    },

    async listEvents(c) {
      return c.json({ events: await eventDocs() });
    },

    async getWebhook(c) {
      return c.json(toWebhook(await load(deps, parseId(c.req.param('id'))), cipher));
    },

    async createWebhook(c) {
      const body = validate(s.createWebhookBody, await readJsonObject(c));
      assertAllowedUrl(body.url, deps);
      const secret = body.secret ?? generateSecret();
      const id = await inTransaction(db, async (conn) => {
        const newId = await sql.insertWebhook(conn, t, {
          name: body.name,
          url: body.url,
          status: body.status,
          secret_enc: cipher.encrypt(secret),
          headers_enc: cipher.encrypt(JSON.stringify(body.headers)),
          retry_count: body.retry_count,
        });
        await sql.insertSubscriptions(conn, t, newId, body.events);
        return newId;
      });
      deps.log.info(
        { webhookId: id, actingUser: c.req.header(sidecarHeaders.actingUser) },
        'webhook created',
      );
      return c.json({ ...toWebhook(await load(deps, id), cipher, true), message: s.messages.created }, 201);
    },

    async updateWebhook(c) {
      const id = parseId(c.req.param('id'));
      const body = validate(s.updateWebhookBody, await readJsonObject(c));
      if (body.url !== undefined) assertAllowedUrl(body.url, deps);
      await inTransaction(db, async (conn) => {
        if (!(await sql.selectWebhook(conn, t, id, true))) throw new ApiError('not_found');
        await sql.updateWebhookColumns(conn, t, id, {
          name: body.name,
          url: body.url,
          status: body.status,
          retry_count: body.retry_count,
          headers_enc: body.headers === undefined ? undefined : cipher.encrypt(JSON.stringify(body.headers)),
        });
        if (body.events !== undefined) await sql.replaceSubscriptions(conn, t, id, body.events);
      });
      deps.log.info(
        { webhookId: id, actingUser: c.req.header(sidecarHeaders.actingUser) },
        'webhook updated',
      );
      return c.json({ ...toWebhook(await load(deps, id), cipher), message: s.messages.updated });
    },

    async deleteWebhook(c) {
      const id = parseId(c.req.param('id'));
      const deleted = await inTransaction(db, (conn) => sql.deleteWebhookCascade(conn, t, id));
      if (!deleted) throw new ApiError('not_found');
      deps.log.info(
        { webhookId: id, actingUser: c.req.header(sidecarHeaders.actingUser) },
        'webhook deleted',
      );
      return c.json({ message: s.messages.deleted });
    },

    async testWebhook(c) {
      const row = await load(deps, parseId(c.req.param('id')));
      const now = deps.now();
      const payload = envelope(
        testEventName,
        now,
        { webhook_id: Number(row.id), message: 'This is a test payload from Fluent Community Webhooks.' },
        null,
      );
      // The same render and sign stages as a delivery: what a test sends is what the webhook's deliveries send.
      const rendered = render({ event: testEventName, payload, webhook_id: Number(row.id) });
      const { secret, previous } = signingSecrets(row, cipher, now);
      const headers = sign(
        rendered,
        {
          event: testEventName,
          msgId: `msg_test_${randomBytes(12).toString('hex')}`,
          webhookId: Number(row.id),
          customHeaders: JSON.parse(cipher.decrypt(row.headers_enc)) as Record<string, string>,
          secret,
          previousSecret: previous,
        },
        now,
      );
      const result = await deps.sender.send(row.url, headers, rendered.body);
      const answer: s.TestWebhookResponse = result.ok
        ? { success: true, status_code: result.status, response_time: result.ms, message: s.messages.testOk }
        : {
            success: false,
            status_code: result.status,
            response_time: result.ms,
            message: `Webhook test failed: ${result.error}`,
          };
      return c.json(answer);
    },

    async rotateSecret(c) {
      const id = parseId(c.req.param('id'));
      // Whole seconds, so the stored expiry is exactly the one announced.
      const expires = new Date(
        Math.floor(deps.now().getTime() / 1000 + deps.config.rotationOverlapSeconds) * 1000,
      );
      await inTransaction(db, async (conn) => {
        const row = await sql.selectWebhook(conn, t, id, true);
        if (!row) throw new ApiError('not_found');
        await sql.updateWebhookColumns(conn, t, id, {
          secret_enc: cipher.encrypt(generateSecret()),
          previous_secret_enc: row.secret_enc,
          previous_secret_expires_at: toDbTime(expires),
        });
      });
      deps.log.info(
        { webhookId: id, actingUser: c.req.header(sidecarHeaders.actingUser) },
        'webhook secret rotated',
      );
      return c.json({
        ...toWebhook(await load(deps, id), cipher, true),
        previous_secret_expires_at: toDbTime(expires, 0),
        message: s.messages.rotated,
      });
    },
  };
}

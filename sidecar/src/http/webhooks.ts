/** Handlers of the webhook management routes. */
import type { Context } from 'hono';
import { toDbTime } from '../../../shared/datetime.ts';
import { eventDocs } from '../../../shared/event-docs.ts';
import { testEventName } from '../../../shared/events.ts';
import * as s from '../../../shared/schemas.ts';
import { sidecarHeaders, type RouteName } from '../../../shared/routes.ts';
import * as sql from '../db/webhooks.ts';
import { selectFilterSpaces, storedFilters, writeFilters } from '../db/filters.ts';
import { inTransaction } from '../db/pool.ts';
import { previousWhileValid } from '../delivery/sign/secrets.ts';
import { envelope } from '../ingest/build.ts';
import { checkUrl } from '../delivery/send/target-policy.ts';
import type { Deps } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { markWrite } from '../sealed-upgrade.ts';
import { openSealed, sealWebhook, type SealedField } from '../sealed-webhook.ts';
import { exampleFilterVerdict } from '../scopes.ts';
import {
  DestinationProblem,
  destinationView,
  resolveDestination,
  type DestinationInput,
} from '../render/destination.ts';
import { outgoingFor } from '../render/outgoing.ts';
import { RenderError } from '../render/render.ts';
import { generateSecret, type Cipher } from '../secrets.ts';
import { siteOf } from '../site.ts';
import { toWebhook, type AnswerView } from '../webhook-view.ts';
import { parseId, readJsonObject, validate } from './input.ts';
import { createTestRateLimit } from './test-rate-limit.ts';

export type Handler = (c: Context) => Promise<Response>;
type WebhookRoute = Exclude<
  RouteName,
  | 'listDeliveries'
  | 'getDelivery'
  | 'redeliver'
  | 'replay'
  | 'listQuarantine'
  | 'retryQuarantined'
  | 'previewFormat'
  | 'previewWebhook'
>;

/** A webhook's stored fields and what it sends; withFilters adds its filters for every answer. */
export function showWebhook(
  row: sql.WebhookRow,
  cipher: Cipher,
  view: AnswerView,
): Omit<s.WebhookShown, 'filters' | 'filter_spaces'> {
  return { ...toWebhook(row, cipher, view), ...destinationView(row) };
}

/** Destination settings resolved for writing, or the 400 their problem answers. */
export async function destination(
  deps: Deps,
  input: DestinationInput,
  row: sql.WebhookRow | null,
  webhook: { id: number; name: string },
) {
  try {
    return await resolveDestination(input, row, await siteOf(deps)(), webhook);
  } catch (error) {
    if (!(error instanceof DestinationProblem)) throw error;
    throw new ApiError(error.code, error.message, { params: { [error.field]: error.message } });
  }
}

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

/** The URL cannot be decrypted and was not sent again: nothing else can be sealed to the row without it. */
const urlNeeded = (what: string) =>
  new ApiError('invalid_url', `The webhook's stored URL cannot be decrypted; send its URL again ${what}.`, {
    params: { url: 'The stored URL cannot be decrypted.' },
  });

/**
 * Webhooks as the API shows them: `toWebhook`'s fields, the filters, and the listed spaces that exist, read for
 * every row in one statement.
 */
async function withFilters(deps: Deps, rows: sql.WebhookRow[], view: AnswerView) {
  const filters = rows.map(storedFilters);
  const ids = [...new Set(filters.flatMap((f) => f.spaces ?? []))];
  const spaces = await selectFilterSpaces(deps.db, deps.tables, ids);
  return rows.map((row, i) => ({
    ...showWebhook(row, deps.cipher, view),
    filters: filters[i]!,
    filter_spaces: spaces.filter((space) => filters[i]!.spaces?.includes(space.id)),
  }));
}

const shown = async (deps: Deps, row: sql.WebhookRow, view: AnswerView) =>
  (await withFilters(deps, [row], view))[0]!;

export function webhookHandlers(deps: Deps): Record<WebhookRoute, Handler> {
  const { db, tables: t, cipher } = deps;
  const testLimit = createTestRateLimit();
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
      return c.json({ webhooks: await withFilters(deps, rows, 'list') });
    },

    async listEvents(c) {
      return c.json({ events: await eventDocs() });
    },

    async getWebhook(c) {
      return c.json(await shown(deps, await load(deps, parseId(c.req.param('id'))), 'one'));
    },

    async createWebhook(c) {
      const body = validate(s.createWebhookBody, await readJsonObject(c));
      assertAllowedUrl(body.url, deps);
      const sends = await destination(deps, body, null, { id: 0, name: body.name });
      const secret = body.secret ?? generateSecret();
      const id = await inTransaction(db, async (conn) => {
        // The sealed values are bound to the id, which the INSERT makes: they follow in the same transaction.
        const newId = await sql.insertWebhook(conn, t, {
          name: body.name,
          url: '',
          status: body.status,
          secret_enc: '',
          headers_enc: '',
          retry_count: body.retry_count,
        });
        await sql.updateWebhookColumns(conn, t, newId, {
          ...sealWebhook(cipher, newId, {
            url: body.url,
            secret,
            previousSecret: null,
            headers: body.headers,
          }),
          ...sends,
        });
        await sql.insertSubscriptions(conn, t, newId, body.events);
        if (body.filters) await writeFilters(conn, t, newId, body.filters, true);
        return newId;
      });
      deps.log.info(
        { webhookId: id, actingUser: c.req.header(sidecarHeaders.actingUser) },
        'webhook created',
      );
      return c.json(
        { ...(await shown(deps, await load(deps, id), 'reveal')), message: s.messages.created },
        201,
      );
    },

    async updateWebhook(c) {
      const id = parseId(c.req.param('id'));
      const body = validate(s.updateWebhookBody, await readJsonObject(c));
      if (body.url !== undefined) assertAllowedUrl(body.url, deps);
      await inTransaction(db, async (conn) => {
        const row = await sql.selectWebhook(conn, t, id, true);
        if (!row) throw new ApiError('not_found');
        // Every sealed value is sealed again: a new URL is part of each one's associated data.
        const opened = openSealed(row, cipher);
        // The format follows the real URL (the column holds a masked one).
        const sends = await destination(
          deps,
          body,
          { ...row, url: opened.url ?? row.url },
          {
            id,
            name: body.name ?? row.name,
          },
        );
        const url = body.url ?? opened.url;
        if (url === undefined && body.headers !== undefined) throw urlNeeded('with the headers');
        const headers = body.headers ?? opened.headers;
        const write: sql.WebhookWrite = { name: body.name, retry_count: body.retry_count, ...sends };
        let unreadable: SealedField[] = opened.unreadable;
        if (url !== undefined) {
          const sealed = sealWebhook(cipher, id, {
            url,
            secret: opened.secret ?? '',
            previousSecret: opened.previousSecret ?? null,
            headers: headers ?? {},
          });
          Object.assign(write, {
            url: sealed.url,
            url_enc: sealed.url_enc,
            ...(opened.secret !== undefined ? { secret_enc: sealed.secret_enc } : {}),
            ...(opened.previousSecret !== undefined
              ? { previous_secret_enc: sealed.previous_secret_enc }
              : {}),
            ...(headers !== undefined ? { headers_enc: sealed.headers_enc } : {}),
          });
          unreadable = opened.unreadable.filter(
            (f) => f !== 'url' && (f !== 'headers' || headers === undefined),
          );
        }
        // A webhook that still has unreadable values stays off; once mended, the body's status wins.
        const mark = markWrite(row, unreadable);
        await sql.updateWebhookColumns(conn, t, id, {
          ...write,
          ...mark,
          ...(unreadable.length === 0 && body.status !== undefined
            ? { status: body.status, reactivate_when_mended: 0 }
            : {}),
        });
        if (body.events !== undefined) await sql.replaceSubscriptions(conn, t, id, body.events);
        if (body.filters !== undefined) await writeFilters(conn, t, id, body.filters, false);
      });
      deps.log.info(
        { webhookId: id, actingUser: c.req.header(sidecarHeaders.actingUser) },
        'webhook updated',
      );
      return c.json({ ...(await shown(deps, await load(deps, id), 'one')), message: s.messages.updated });
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
      const { event } = validate(s.testWebhookBody, await readJsonObject(c));
      const filter = event && (await exampleFilterVerdict(db, t, storedFilters(row), event));
      const now = deps.now();
      testLimit.take(Number(row.id), now);
      const payload = envelope(
        testEventName,
        now,
        { webhook_id: Number(row.id), message: 'This is a test payload from Fluent Community Webhooks.' },
        null,
      );
      const opened = openSealed(row, cipher);
      if (opened.unreadable.length) {
        const answer: s.TestWebhookResponse = {
          success: false,
          status_code: null,
          response_time: 0,
          message: `Webhook test failed: ${toWebhook(row, cipher, 'one').last_error}`,
        };
        return c.json(filter ? { ...answer, filter } : answer);
      }
      // The same render and sign stages as a delivery: what a test sends is what the webhook's deliveries send.
      let out;
      try {
        out = outgoingFor(
          row,
          {
            url: opened.url!,
            customHeaders: opened.headers!,
            secret: opened.secret!,
            previous: previousWhileValid(row, opened.previousSecret, now),
          },
          testEventName,
          payload,
          await siteOf(deps)(),
          now,
        );
      } catch (error) {
        if (!(error instanceof RenderError)) throw error;
        return c.json({
          success: false,
          status_code: null,
          response_time: 0,
          message: `Webhook test failed: ${error.message}`,
        } satisfies s.TestWebhookResponse);
      }
      const result = await deps.sender.send(out.url, out.headers, out.body);
      const answer: s.TestWebhookResponse = result.ok
        ? { success: true, status_code: result.status, response_time: result.ms, message: s.messages.testOk }
        : {
            success: false,
            status_code: result.status,
            response_time: result.ms,
            message: `Webhook test failed: ${result.error}`,
          };
      return c.json(filter ? { ...answer, filter } : answer);
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
        const opened = openSealed(row, cipher);
        if (opened.url === undefined) throw urlNeeded('(PUT) before rotating its secret');
        // An old secret that does not open signs nothing: the new one alone, at once.
        const previous = opened.secret ?? null;
        const sealed = sealWebhook(cipher, id, {
          url: opened.url,
          secret: generateSecret(),
          previousSecret: previous,
          headers: opened.headers ?? {},
        });
        await sql.updateWebhookColumns(conn, t, id, {
          secret_enc: sealed.secret_enc,
          previous_secret_enc: sealed.previous_secret_enc,
          previous_secret_expires_at: previous === null ? null : toDbTime(expires),
          ...markWrite(row, opened.headers === undefined ? ['headers'] : []),
        });
      });
      deps.log.info(
        { webhookId: id, actingUser: c.req.header(sidecarHeaders.actingUser) },
        'webhook secret rotated',
      );
      return c.json({
        ...(await shown(deps, await load(deps, id), 'reveal')),
        previous_secret_expires_at: toDbTime(expires, 0),
        message: s.messages.rotated,
      });
    },
  };
}

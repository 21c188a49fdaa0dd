/** Handlers of the preview routes: what a format or a webhook would send for an event, without sending it. */
import { examplePayload } from '../../../shared/event-docs.ts';
import { testEventName, type EventName } from '../../../shared/events.ts';
import { exampleTimestamp } from '../../../shared/event-examples.ts';
import * as s from '../../../shared/schemas.ts';
import * as log from '../db/delivery-log.ts';
import { storedFilters } from '../db/filters.ts';
import * as sql from '../db/webhooks.ts';
import type { Deps } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { outgoingDraft, outgoingFor, previewOf, type Outgoing } from '../render/outgoing.ts';
import { RenderError } from '../render/render.ts';
import { parseId, readJsonObject, validate } from './input.ts';
import { previousWhileValid } from '../delivery/sign/secrets.ts';
import { exampleFilterVerdict } from '../scopes.ts';
import { openSealed } from '../sealed-webhook.ts';
import { siteOf } from '../site.ts';
import { destination, type Handler } from './webhooks.ts';

/** An event's example payload as stored: the compact envelope, in the order `envelope()` writes it. */
async function examplePayloadText(
  event: EventName | typeof testEventName,
  webhookId: number,
): Promise<string> {
  if (event === testEventName)
    return JSON.stringify({
      event,
      timestamp: exampleTimestamp,
      data: { webhook_id: webhookId, message: 'This is a test payload from Fluent Community Webhooks.' },
      xprofile: null,
    });
  return JSON.stringify(await examplePayload(event));
}

function rendered(build: () => Outgoing): Outgoing {
  try {
    return build();
  } catch (error) {
    if (!(error instanceof RenderError)) throw error;
    throw new ApiError(error.code, error.message);
  }
}

export function previewHandlers(deps: Deps): Record<'previewFormat' | 'previewWebhook', Handler> {
  const { db, tables: t, cipher } = deps;
  return {
    async previewFormat(c) {
      const body = validate(
        s.previewBody,
        await readJsonObject(c),
        'rest_invalid_param',
        s.previewErrorCodes,
      );
      const webhook = { id: 0, name: 'Preview' };
      const sends = await destination(deps, body, null, webhook);
      const draft = {
        ...webhook,
        format: sends.format,
        template: sends.template,
        contentType: sends.content_type,
        options: sends.options ? JSON.parse(sends.options) : {},
      };
      const payload = await examplePayloadText(body.event, 0);
      const site = await siteOf(deps)();
      return c.json(
        previewOf(
          rendered(() => outgoingDraft(draft, body.event, payload, site, deps.now())),
          [],
        ),
      );
    },

    async previewWebhook(c) {
      const id = parseId(c.req.param('id'));
      const row = await sql.selectWebhook(db, t, id);
      if (!row) throw new ApiError('not_found');
      const body = validate(
        s.previewWebhookBody,
        await readJsonObject(c),
        'rest_invalid_param',
        s.previewErrorCodes,
      );
      let event: string;
      let payload: string;
      let stored: { body: string; contentType: string } | undefined;
      if (body.delivery_id !== undefined) {
        const delivery = await log.selectDelivery(db, t, id, body.delivery_id);
        if (!delivery) throw new ApiError('delivery_not_found');
        event = delivery.event;
        payload = delivery.payload;
        // A retried delivery's next attempt sends the bytes stored with it, while the webhook keeps that format.
        const kept = await log.selectRendered(db, t, body.delivery_id);
        if (kept && kept.rendered_format === row.format)
          stored = { body: kept.rendered_body, contentType: kept.rendered_type ?? 'application/json' };
      } else {
        event = body.event!;
        payload = await examplePayloadText(body.event!, id);
      }
      const site = await siteOf(deps)();
      const opened = openSealed(row, cipher);
      if (opened.unreadable.length)
        throw new ApiError(
          'invalid_url',
          `The webhook's stored ${opened.unreadable.join(', ')} cannot be decrypted: send them again (PUT).`,
        );
      const now = deps.now();
      const target = {
        url: opened.url!,
        customHeaders: opened.headers ?? {},
        secret: opened.secret!,
        previous: previousWhileValid(row, opened.previousSecret, now),
      };
      const out = rendered(() => outgoingFor(row, target, event, payload, site, now, stored));
      const preview = previewOf(out, Object.keys(target.customHeaders));
      // An example may be one the webhook's filters keep out; a delivery's payload passed them already.
      if (body.event === undefined || body.event === testEventName) return c.json(preview);
      const filter = await exampleFilterVerdict(db, t, storedFilters(row), body.event);
      return c.json({ ...preview, filter } satisfies s.PreviewResponse);
    },
  };
}

/**
 * Destinations through WordPress: the spec's Slack, Discord and e-mail examples, sent verbatim to the REST API,
 * create webhooks in the format those services accept (both namespaces), and the preview shows what they send,
 * with the site's real name and admin e-mail read from WordPress's options.
 */
import { describe, expect, it } from 'vitest';
import * as s from '../../shared/schemas.ts';
import { ownNamespace, rest, specNamespace, useE2ESite } from '../helpers/rest.ts';
import { specUseCases } from '../helpers/spec-examples.ts';

const site = useE2ESite({ label: 'e2e_destinations' });

// The spec's use cases whose services refuse the plain envelope.
const { slack, discord, sendgrid } = specUseCases;
const examples = { slack, discord, sendgrid };

describe("the spec's use cases through WordPress", () => {
  for (const ns of [specNamespace, ownNamespace])
    it.each(Object.entries(examples))(
      `${ns}: the %s example creates a webhook in that format`,
      async (format, body) => {
        const res = await rest(site(), 'POST', '/admin/webhooks', { ns, body });
        expect(res.status).toBe(201);
        expect(s.createWebhookResponse.parse(res.body)).toMatchObject({
          format,
          content_type: 'application/json',
        });
        const got = await rest(site(), 'GET', `/admin/webhooks/${res.body.id}`, { ns });
        expect(got.body.format).toBe(format);
      },
    );

  it("previews a SendGrid mail from the site's own name to its admin e-mail", async () => {
    const created = await rest(site(), 'POST', '/admin/webhooks', { body: examples.sendgrid });
    const res = await rest(site(), 'POST', `/admin/webhooks/${created.body.id}/preview`, {
      body: { event: 'report.created' },
    });
    expect(res.status).toBe(200);
    const mail = JSON.parse(s.previewResponse.parse(res.body).body);
    expect(mail.personalizations[0].to[0].email).toMatch(/@/);
    expect(mail.from.email).toBe(mail.personalizations[0].to[0].email);
    expect(mail.from.name).not.toBe('WordPress');
    expect(res.body.headers.authorization).toBe('[redacted]');
  });

  it('previews a format with no webhook, and refuses unknown options in WordPress error shape', async () => {
    const res = await rest(site(), 'POST', '/admin/webhooks/preview', {
      ns: ownNamespace,
      body: { format: 'discord', event: 'feed.created' },
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body.body).allowed_mentions).toEqual({ parse: [] });
    const bad = await rest(site(), 'POST', '/admin/webhooks', {
      body: { ...examples.slack, options: { colour: 'red' } },
    });
    expect(bad).toMatchObject({ status: 400, body: { code: 'invalid_options', data: { status: 400 } } });
  });
});

/**
 * The webhook API's destination fields: format detected from the spec's own examples, explicit formats, per-format
 * options, templates checked on save, rate limits, what an update of the URL does, and the preview routes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as s from '../../shared/schemas.ts';
import { useSidecarHarness } from '../helpers/sidecar-app.ts';
import { specUseCases } from '../helpers/spec-examples.ts';

const h = useSidecarHarness({ worker: false });

const spec = specUseCases;

const create = (body: Record<string, unknown>) => h().json('POST', '/admin/webhooks', body);
const base = { name: 'D', url: 'https://example.com/hook', events: ['feed.created'] };

beforeAll(async () => {
  // WordPress's options table, as on a real site: the sidecar reads the site's name and admin e-mail from it.
  await h().database.pool.query(
    `CREATE TABLE IF NOT EXISTS wp_options (option_id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
     option_name VARCHAR(191) NOT NULL UNIQUE, option_value LONGTEXT NOT NULL, autoload VARCHAR(20) NOT NULL DEFAULT 'yes')`,
  );
  await h().database.pool.query(
    `INSERT INTO wp_options (option_name, option_value) VALUES ('blogname', 'Tom &amp; Jerry'),
     ('home', 'https://community.example.com'), ('admin_email', 'owner@example.com')`,
  );
});

describe('formats', () => {
  it.each(Object.entries(spec))(
    "the spec's %s example, sent verbatim, gets that format",
    async (format, body) => {
      const { status, body: created } = await create(body);
      expect(status).toBe(201);
      expect(s.createWebhookResponse.parse(created).format).toBe(format);
      const got = await h().json('GET', `/admin/webhooks/${created.id}`);
      expect(got.body.format).toBe(format);
      expect(got.body.content_type).toBe('application/json');
    },
  );

  it('detects Discord on discordapp.com, ptb. and canary., and an explicit format always wins', async () => {
    for (const host of ['discordapp.com', 'ptb.discord.com', 'canary.discord.com'])
      expect((await create({ ...base, url: `https://${host}/api/webhooks/1/t` })).body.format).toBe(
        'discord',
      );
    const explicit = await create({ ...base, url: spec.slack.url, format: 'json' });
    expect(explicit.body.format).toBe('json');
  });

  it('shows the format default pace and takes its own', async () => {
    expect((await create(spec.slack)).body.rate_limit).toBe(1);
    expect((await create(spec.discord)).body.rate_limit).toBe(2.5);
    expect((await create(base)).body.rate_limit).toBeNull();
    const own = await create({ ...spec.slack, rate_limit: 0.5 });
    expect(own.body.rate_limit).toBe(0.5);
    const reset = await h().json('PUT', `/admin/webhooks/${own.body.id}`, { rate_limit: null });
    expect(reset.body.rate_limit).toBe(1);
    const unpaced = await h().json('PUT', `/admin/webhooks/${own.body.id}`, { rate_limit: 0 });
    expect(unpaced.body.rate_limit).toBeNull();
    const bad = await create({ ...base, rate_limit: -1 });
    expect(bad).toMatchObject({ status: 400, body: { code: 'invalid_rate_limit' } });
    expect((await create({ ...base, format: 'carrier-pigeon' })).body.code).toBe('invalid_format');
    const teams = await create({ ...base, format: 'teams' });
    expect(teams.body).toMatchObject({ format: 'teams', rate_limit: null });
    expect((await create({ ...base, format: 'teams', options: { display_name: 'x' } })).body.code).toBe(
      'invalid_options',
    );
  });
});

describe('options', () => {
  it('takes each format own options and refuses unknown keys', async () => {
    const chat = await create({
      ...spec.slack,
      options: { display_name: 'Community', avatar_url: 'https://e.com/a.png' },
    });
    expect(chat.body.options).toEqual({ display_name: 'Community', avatar_url: 'https://e.com/a.png' });
    const unknown = await create({ ...spec.slack, options: { to: 'a@example.com' } });
    expect(unknown).toMatchObject({ status: 400, body: { code: 'invalid_options' } });
    expect(unknown.body.message).toContain('to');
    const named = await create({ ...spec.discord, options: { display_name: 'My Discord bot' } });
    expect(named.body.code).toBe('invalid_options');
    const mail = await create({
      ...spec.sendgrid,
      options: { to: ['a@example.com'], subject_prefix: '[FC] ' },
    });
    expect(mail.body.options).toEqual({ to: ['a@example.com'], subject_prefix: '[FC] ' });
    expect((await create({ ...spec.sendgrid, options: { to: 'not-an-address' } })).body.code).toBe(
      'invalid_options',
    );
  });

  it('drops kept options that no longer fit when the format changes, and keeps those that do', async () => {
    const { body } = await create({ ...spec.slack, options: { display_name: 'Bot' } });
    const toDiscord = await h().json('PUT', `/admin/webhooks/${body.id}`, { format: 'discord' });
    expect(toDiscord.body.options).toEqual({ display_name: 'Bot' });
    const toMail = await h().json('PUT', `/admin/webhooks/${body.id}`, { format: 'sendgrid' });
    expect(toMail.body.options).toEqual({});
  });
});

describe('templates', () => {
  const tpl = (template: string, extra: Record<string, unknown> = {}) =>
    create({ ...base, format: 'template', template, ...extra });

  it('accepts a template whose output is JSON for every event', async () => {
    const { status, body } = await tpl('{"text": {{ data.title | json }}, "site": {{ site.name | json }}}');
    expect(status).toBe(201);
    expect(body).toMatchObject({ format: 'template', content_type: 'application/json' });
  });

  it('refuses a template that does not parse, with the line', async () => {
    const { status, body } = await tpl('{"a": 1}\n{% if %}');
    expect(status).toBe(400);
    expect(body.code).toBe('invalid_template');
    expect(body.message).toMatch(/line:2/);
  });

  it('refuses output that is not JSON, naming the event and where', async () => {
    const { status, body } = await tpl('{\n  "text": {{ data.title }}\n}');
    expect(status).toBe(400);
    expect(body.code).toBe('template_output_invalid');
    expect(body.message).toContain("The template's output for feed.created is not valid JSON");
    expect(body.message).toMatch(/line 2, column \d+/);
    const plain = await tpl('{{ data.title }} happened', { content_type: 'text/plain; charset=utf-8' });
    expect(plain.status).toBe(201);
    expect(plain.body.content_type).toBe('text/plain; charset=utf-8');
  });

  it('needs a template for the template format, and refuses one for any other', async () => {
    expect((await create({ ...base, format: 'template' })).body.code).toBe('invalid_template');
    expect((await create({ ...base, format: 'slack', template: '{}' })).body.code).toBe('invalid_template');
    expect((await create({ ...base, content_type: 'text/plain' })).body.code).toBe('invalid_content_type');
  });

  it('cannot read files through include or render', async () => {
    const { body } = await tpl('{% include "/etc/passwd" %}');
    expect(body.code).toBe('invalid_template');
  });
});

describe('updating the URL', () => {
  it('re-detects a format that followed the URL, and keeps one that was given', async () => {
    const auto = (await create(spec.slack)).body;
    const moved = await h().json('PUT', `/admin/webhooks/${auto.id}`, { url: spec.discord.url });
    expect(moved.body.format).toBe('discord');
    const elsewhere = await h().json('PUT', `/admin/webhooks/${auto.id}`, {
      url: 'https://example.com/relay',
    });
    expect(elsewhere.body.format).toBe('json');
    const given = (await create({ ...base, url: 'https://example.com/relay', format: 'slack' })).body;
    const kept = await h().json('PUT', `/admin/webhooks/${given.id}`, { url: 'https://example.com/other' });
    expect(kept.body.format).toBe('slack');
  });
});

describe('previews', () => {
  it('renders an event in a format without a webhook', async () => {
    const { status, body } = await h().json('POST', '/admin/webhooks/preview', {
      format: 'slack',
      event: 'feed.created',
    });
    expect(status).toBe(200);
    expect(s.previewResponse.parse(body).content_type).toBe('application/json');
    expect(JSON.parse(body.body).text).toMatch(/^Ada Admin posted in Product Updates: Welcome/);
    expect(body.headers['webhook-signature']).toBe('[redacted]');
  });

  it('names the site as WordPress stores it, decoded, and mails its admin by default', async () => {
    const { body } = await h().json('POST', '/admin/webhooks/preview', {
      format: 'sendgrid',
      event: 'report.created',
    });
    const mail = JSON.parse(body.body);
    expect(mail.from).toEqual({ email: 'owner@example.com', name: 'Tom & Jerry' });
    expect(mail.personalizations[0].to).toEqual([{ email: 'owner@example.com' }]);
  });

  it("renders a webhook's own format for an event or a delivery", async () => {
    const { body: hook } = await create({ ...spec.discord, headers: { 'X-Key': 'secret-value' } });
    const { status, body } = await h().json('POST', `/admin/webhooks/${hook.id}/preview`, {
      event: 'report.created',
    });
    expect(status).toBe(200);
    expect(JSON.parse(body.body).allowed_mentions).toEqual({ parse: [] });
    expect(body.headers['x-key']).toBe('[redacted]');
    const missing = await h().json('POST', `/admin/webhooks/${hook.id}/preview`, { delivery_id: 999999 });
    expect(missing).toMatchObject({ status: 404, body: { code: 'delivery_not_found' } });
    const neither = await h().json('POST', `/admin/webhooks/${hook.id}/preview`, {});
    expect(neither).toMatchObject({ status: 400, body: { code: 'invalid_event' } });
    const unknown = await h().json('POST', `/admin/webhooks/${hook.id}/preview`, { event: 'feed.exploded' });
    expect(unknown.body.code).toBe('invalid_event');
  });
});

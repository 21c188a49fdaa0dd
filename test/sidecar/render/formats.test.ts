/**
 * Every event in every format, with the example payloads and with hostile ones (quotes, newlines, <, &, emoji,
 * "@everyone", markdown, 70,000-character bodies), checked against each destination's documented rules.
 */
import { describe, expect, it } from 'vitest';
import { examplePayload } from '../../../shared/event-docs.ts';
import { eventNames } from '../../../shared/events.ts';
import type { Format } from '../../../shared/destinations.ts';
import { render, RenderError, type Destination } from '../../../sidecar/src/render/render.ts';
import { discordEscape } from '../../../sidecar/src/render/discord.ts';
import { truncate } from '../../../sidecar/src/render/text.ts';
import { discordProblems, sendgridProblems, slackProblems, teamsProblems } from './destination-rules.ts';

const site = {
  name: 'Tom & Jerry <Club>',
  url: 'https://community.example.com',
  adminEmail: 'admin@example.com',
};
const nasty =
  'He said "hi" & <b>bold</b> <!everyone> @everyone @here <@123> **x** _y_ ~~z~~ `code` ||spoiler|| ' +
  '[link](https://evil.example)\n# heading\n> quote\n- item\n1. one\n😀👩‍👩‍👧 é \\ </script>';
const long = `${nasty}${'😀'.repeat(35_000)}`; // 70,000 UTF-16 units of emoji after the markup
const textKeys = new Set([
  'title',
  'message',
  'message_rendered',
  'display_name',
  'description',
  'explanation',
  'reason',
  'username',
]);

/** `value` with every user-written string replaced by `text`. */
function hostile(value: unknown, text: string): unknown {
  if (Array.isArray(value)) return value.map((v) => hostile(v, text));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      typeof v === 'string' && textKeys.has(k) ? text : hostile(v, text),
    ]),
  );
}

const destination = (format: Format, extra: Partial<Destination> = {}): Destination => ({
  id: 7,
  name: 'Hook',
  format,
  template: null,
  contentType: null,
  options: {},
  ...extra,
});

const template =
  '{"text": {{ data.title | json }}, "who": {{ xprofile.display_name | json }}, "nope": {{ data.nope | json }}, "data": {{ data | json }}}';

const variants = [
  ['example', (p: unknown) => p],
  ['hostile', (p: unknown) => hostile(p, nasty)],
  ['70,000-character', (p: unknown) => hostile(p, long)],
] as const;

describe.each(variants)('every event, %s payloads', (_name, shape) => {
  it.each(eventNames)(
    '%s: slack, discord, sendgrid, teams and template bodies follow their rules',
    async (event) => {
      const payload = JSON.stringify(shape(await examplePayload(event)));
      const slack = JSON.parse(render(destination('slack'), payload, site).body);
      expect(slackProblems(slack), JSON.stringify(slack).slice(0, 400)).toEqual([]);
      const discord = JSON.parse(render(destination('discord'), payload, site).body);
      expect(discordProblems(discord), JSON.stringify(discord).slice(0, 400)).toEqual([]);
      const mail = render(destination('sendgrid'), payload, site);
      expect(mail.contentType).toBe('application/json');
      const sendgrid = JSON.parse(mail.body);
      expect(sendgridProblems(sendgrid)).toEqual([]);
      const html = sendgrid.content[1].value as string;
      expect(html).not.toMatch(/<b>|<\/script>|<!everyone>/);
      const teams = JSON.parse(render(destination('teams'), payload, site).body);
      expect(teamsProblems(teams)).toEqual([]);
      expect(JSON.stringify(teams)).not.toMatch(/\[link\]\(https/);
      const out = render(destination('template', { template }), payload, site);
      expect(JSON.parse(out.body).nope).toBeNull();
      expect(JSON.parse(out.body).data).toEqual(JSON.parse(payload).data);
      // Chat messages are notices: never the whole 70,000-character body.
      expect(JSON.stringify(slack).length).toBeLessThan(12_000);
      expect(JSON.stringify(discord).length).toBeLessThan(12_000);
    },
  );
});

describe('messages', () => {
  it('say who did what, where, with the link', async () => {
    const payload = JSON.stringify(await examplePayload('feed.created'));
    const slack = JSON.parse(render(destination('slack'), payload, site).body);
    expect(slack.text).toBe(
      'Ada Admin posted in Product Updates: Welcome to our community! <https://community.example.com/portal/space/product-updates/post/welcome-to-our-community>',
    );
    expect(slack.blocks[0].text.text).toContain(
      'Ada Admin posted in Product Updates: *<https://community.example.com/portal/space/product-updates/post/welcome-to-our-community|Welcome to our community!>*',
    );
    expect(slack.blocks[0].text.text).toContain("\n>We're excited to have you here...");
    const discord = JSON.parse(render(destination('discord'), payload, site).body);
    expect(discord.embeds[0]).toMatchObject({
      title: 'Welcome to our community\\!'.replace('\\!', '!'),
      url: 'https://community.example.com/portal/space/product-updates/post/welcome-to-our-community',
      author: { name: 'Ada Admin' },
      footer: { text: 'Tom & Jerry <Club> · feed.created'.replace('<', '\\<') },
    });
    expect(discord.allowed_mentions).toEqual({ parse: [] });
  });

  it.each(eventNames)('%s has its own headline', async (event) => {
    const payload = JSON.stringify(await examplePayload(event));
    const slack = JSON.parse(render(destination('slack'), payload, site).body);
    expect(slack.text).not.toMatch(/Someone|undefined|null|\[object/);
    expect(slack.text).not.toContain(`: ${event}`);
  });

  it('escapes Slack control characters and nothing else', async () => {
    const payload = JSON.stringify(hostile(await examplePayload('feed.created'), 'A & B <!channel> > C'));
    const slack = JSON.parse(render(destination('slack'), payload, site).body);
    expect(slack.text).toContain('A &amp; B &lt;!channel&gt; &gt; C');
  });

  it('escapes Discord markdown so a post cannot format, link or mention', () => {
    expect(discordEscape('**b** _i_ [x](https://e) <@1> # h')).toBe(
      '\\*\\*b\\*\\* \\_i\\_ \\[x\\]\\(https://e\\) \\<@1> # h',
    );
    expect(discordEscape('# h\n> q\n- l\n1. n')).toBe('\\# h\n\\> q\n\\- l\n\\1. n');
  });

  it('cuts between graphemes, never inside an emoji', () => {
    const family = '👩‍👩‍👧';
    const cut = truncate(`ab${family.repeat(10)}`, 12);
    expect(cut.length).toBeLessThanOrEqual(12);
    expect(cut).toBe(`ab${family}…`);
    expect(truncate('😀'.repeat(10), 4)).toBe('😀…');
  });

  it('mails the site admin unless told otherwise, and refuses a mail without recipient', async () => {
    const payload = JSON.stringify(await examplePayload('report.created'));
    const mail = JSON.parse(render(destination('sendgrid'), payload, site).body);
    expect(mail.personalizations).toEqual([{ to: [{ email: 'admin@example.com' }] }]);
    expect(mail.from).toEqual({ email: 'admin@example.com', name: 'Tom & Jerry <Club>' });
    expect(mail.subject).toBe('[Tom & Jerry <Club>] Bob Builder reported a post: Welcome to our community!');
    const chosen = JSON.parse(
      render(
        destination('sendgrid', {
          options: { to: ['a@x.org', 'b@x.org'], from: 'n@x.org', subject_prefix: '' },
        }),
        payload,
        site,
      ).body,
    );
    expect(chosen.personalizations[0].to).toEqual([{ email: 'a@x.org' }, { email: 'b@x.org' }]);
    expect(chosen.subject).toBe('Bob Builder reported a post: Welcome to our community!');
    expect(() => render(destination('sendgrid'), payload, { ...site, adminEmail: null })).toThrow(
      RenderError,
    );
  });

  it('sends the json format byte for byte as stored', async () => {
    const payload = JSON.stringify(await examplePayload('feed.created'));
    expect(render(destination('json'), payload, site)).toEqual({
      body: payload,
      contentType: 'application/json',
    });
  });
});

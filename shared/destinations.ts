/**
 * Destination formats: what a webhook's body looks like (the spec's envelope, a chat message, a mail, a template),
 * which format a URL implies, each format's options and its default pace. Pure data and checks, no I/O.
 */
import { z } from 'zod';

export const formats = ['json', 'slack', 'discord', 'sendgrid', 'template', 'teams'] as const;
export type Format = (typeof formats)[number];

/** What each format sends, for docs and the admin screen. */
export const formatDescriptions: Readonly<Record<Format, string>> = {
  json: 'The payload envelope {event, timestamp, data, xprofile}, unchanged.',
  slack: 'A Slack incoming-webhook message (text and blocks).',
  discord: 'A Discord webhook message (an embed; mentions never ping).',
  sendgrid: 'A SendGrid v3 mail/send request (text and HTML).',
  template: 'The output of a Liquid template, sent with content_type.',
  teams: 'A Microsoft Teams workflow-webhook message (an Adaptive Card).',
};

const discordHosts = new Set(['discord.com', 'discordapp.com']);

/**
 * The format a URL implies: Slack's, Discord's (with its `ptb.` and `canary.` clients) and SendGrid's mail/send
 * endpoints; anything else is the plain envelope. Teams workflow URLs live on generic Azure and Power Platform
 * hosts that other services share, so `teams` is only ever chosen explicitly.
 */
export function detectFormat(url: string): Format {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'json';
  }
  const host = u.hostname.toLowerCase().replace(/\.$/, '');
  const path = u.pathname;
  if (host === 'hooks.slack.com' && path.startsWith('/services/')) return 'slack';
  if (discordHosts.has(host.replace(/^(ptb|canary)\./, '')) && /^\/api\/(v\d+\/)?webhooks\//.test(path))
    return 'discord';
  if (host === 'api.sendgrid.com' && /^\/v3\/mail\/send\/?$/.test(path)) return 'sendgrid';
  return 'json';
}

/**
 * Default pace in requests per second, from each service's published limits: Slack about one message per second
 * per webhook, Discord five per two seconds per webhook. `null`: unpaced.
 */
export const defaultRateLimits: Readonly<Record<Format, number | null>> = {
  json: null,
  slack: 1,
  discord: 2.5,
  sendgrid: null,
  template: null,
  teams: null,
};

/**
 * The pace a webhook keeps, in requests per second: its own `rate_limit` when set (0: unpaced), else its format's
 * default; null when unpaced.
 */
export function effectiveRateLimit(format: Format, rateLimit: number | null): number | null {
  if (rateLimit === 0) return null;
  return rateLimit ?? defaultRateLimits[format];
}

const httpsUrl = z
  .string()
  .max(2048)
  .refine((v) => {
    try {
      return new URL(v).protocol === 'https:';
    } catch {
      return false;
    }
  }, 'must be an https URL');

// The chat services' own limits: Slack and Discord usernames are at most 80 characters.
const chatOptions = z.strictObject({
  display_name: z.string().trim().min(1).max(80).optional(),
  avatar_url: httpsUrl.optional(),
});
// Discord refuses (400) a webhook username containing "discord" or "clyde", or one that is "everyone" or "here".
const discordOptions = chatOptions.refine(
  (o) => !o.display_name || !/discord|clyde|^(everyone|here)$/i.test(o.display_name),
  { message: 'must not contain "discord" or "clyde" (Discord refuses such names)', path: ['display_name'] },
);

// A practical address check (what SendGrid itself accepts is wider, but a typo should fail on save, not on send).
const email = z
  .string()
  .trim()
  .max(254)
  .regex(/^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/, 'is not an e-mail address');

const sendgridOptions = z.strictObject({
  to: z.union([email, z.array(email).min(1).max(50)]).optional(),
  from: email.optional(),
  subject_prefix: z.string().max(100).optional(),
});

/** Options each format accepts (unknown keys are refused). */
export const formatOptionSchemas = {
  json: z.strictObject({}),
  slack: chatOptions,
  discord: discordOptions,
  sendgrid: sendgridOptions,
  template: z.strictObject({}),
  teams: z.strictObject({}),
} as const satisfies Record<Format, z.ZodType>;

export type ChatOptions = z.infer<typeof chatOptions>;
export type SendgridOptions = z.infer<typeof sendgridOptions>;
export type FormatOptions = ChatOptions | SendgridOptions | Record<string, never>;

/** Checks `options` against the format's schema: the parsed value, or a message naming the first problem. */
export function checkFormatOptions(
  format: Format,
  options: unknown,
): { ok: true; value: FormatOptions } | { ok: false; message: string } {
  const result = formatOptionSchemas[format].safeParse(options ?? {});
  if (result.success) return { ok: true, value: result.data as FormatOptions };
  const issue = result.error.issues[0]!;
  if (issue.code === 'unrecognized_keys')
    return {
      ok: false,
      message: `Unknown option(s) for the ${format} format: ${issue.keys.join(', ')}.`,
    };
  const path = issue.path.join('.');
  return { ok: false, message: `Option ${path || '(options)'} for the ${format} format ${issue.message}.` };
}

/** Template bodies: the limit matches the column (MEDIUMTEXT is far wider; a template is not a data store). */
export const maxTemplateLength = 65_535;

export const defaultContentType = 'application/json';

/** True for `application/json` and `application/<anything>+json`: the template's output must then parse. */
export function isJsonContentType(contentType: string): boolean {
  return /^application\/(?:[\w.+-]+\+)?json\s*(;|$)/i.test(contentType);
}

/** A media type with optional parameters, nothing a header could not carry. */
export const contentTypePattern =
  /^[a-z0-9!#$&^_.+-]{1,64}\/[a-z0-9!#$&^_.+-]{1,64}(\s*;\s*[a-z0-9!#$&^_.+-]+=("[\x20-\x7e]*"|[a-z0-9!#$&^_.+-]+))*$/i;

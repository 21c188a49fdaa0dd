/**
 * What Slack's, Discord's and SendGrid's answers mean for a delivery: which refusals are permanent (retrying sends
 * the same refused bytes), which disable the webhook, how long a 429 asks to wait, and the service's own reason
 * with a hint in plain words for `last_error`. Pure: the outcome stage applies the verdict.
 */
import { detectFormat, type Format } from '../../../shared/destinations.ts';

export type Service = 'slack' | 'discord' | 'sendgrid';

export interface AnswerVerdict {
  /** Do not retry: the service refused this message for good. */
  readonly permanent: boolean;
  /** The webhook itself is gone: disable it, as a 410 does. */
  readonly disable: boolean;
  /** For `last_error`: the service's reason and what to check. */
  readonly error: string;
  /** Seconds the service asked to wait (429), when it said. */
  readonly retryAfterSeconds?: number;
}

/**
 * The service a webhook talks to: its URL's (a Slack URL is Slack whatever the format, which is when the hint
 * "is the format set to slack?" matters), else its chat or mail format's (a relay, or a test receiver).
 */
export function serviceOf(url: string, format: Format): Service | null {
  const byUrl = detectFormat(url);
  if (byUrl === 'slack' || byUrl === 'discord' || byUrl === 'sendgrid') return byUrl;
  return format === 'slack' || format === 'discord' || format === 'sendgrid' ? format : null;
}

const clip = (text: string, max = 300) => (text.length > max ? `${text.slice(0, max)}…` : text);

function jsonOf(excerpt: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(excerpt);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Slack answers a plain word (`no_text`, `channel_is_archived`), sometimes JSON `{ok: false, error}`. */
function slackReason(excerpt: string): string {
  const json = jsonOf(excerpt);
  const reason = typeof json?.error === 'string' ? json.error : excerpt.trim();
  return clip(reason || 'no reason given', 120);
}

function slack(status: number, excerpt: string, format: Format): AnswerVerdict | null {
  const reason = slackReason(excerpt);
  switch (status) {
    case 400:
      return {
        permanent: true,
        disable: false,
        error:
          format === 'slack'
            ? `Slack refused the message (${reason}): it does not fit Slack's rules.`
            : `Slack refused the message (${reason}): is the format set to slack?`,
      };
    case 403:
      return {
        permanent: true,
        disable: false,
        error: `Slack refused the webhook (403 ${reason}): the workspace or channel no longer allows it.`,
      };
    case 404:
      return {
        permanent: true,
        disable: false,
        error: `Slack does not know this webhook (404 ${reason}): was the app or channel removed?`,
      };
    case 410:
      return {
        permanent: true,
        disable: true,
        error: `Slack says the channel is gone (410 ${reason}): the channel was archived or deleted; webhook disabled.`,
      };
    default:
      return null;
  }
}

/** Discord answers JSON `{message, code}` (e.g. 50006 "Cannot send an empty message", 10015 "Unknown Webhook"). */
function discordReason(excerpt: string): string {
  const json = jsonOf(excerpt);
  if (!json) return clip(excerpt.trim() || 'no reason given', 120);
  const code = typeof json.code === 'number' ? `${json.code} ` : '';
  const message = typeof json.message === 'string' ? json.message : 'no message';
  const detail = json.errors ? ` ${clip(JSON.stringify(json.errors), 160)}` : '';
  return `${code}${message}${detail}`;
}

function discord(status: number, excerpt: string, format: Format): AnswerVerdict | null {
  const reason = discordReason(excerpt);
  switch (status) {
    case 400:
      return {
        permanent: true,
        disable: false,
        error: `Discord refused the message (${reason})${format === 'discord' ? '.' : ': is the format set to discord?'}`,
      };
    case 401:
    case 403:
      return {
        permanent: true,
        disable: false,
        error: `Discord refused the webhook (${status} ${reason}): check the webhook URL and its token.`,
      };
    case 404:
      return {
        permanent: true,
        disable: true,
        error: `Discord says the webhook does not exist (404 ${reason}): it was deleted; webhook disabled.`,
      };
    case 429: {
      // The body's retry_after is in seconds, a float; the Retry-After header rounds it up to whole seconds.
      const wait = jsonOf(excerpt)?.retry_after;
      if (typeof wait !== 'number' || !Number.isFinite(wait) || wait < 0) return null;
      return {
        permanent: false,
        disable: false,
        error: `Discord rate limit (429 ${reason}): retrying after ${wait} s.`,
        retryAfterSeconds: wait,
      };
    }
    default:
      return null;
  }
}

/** SendGrid answers `{errors: [{message, field}]}`. */
function sendgrid(status: number, excerpt: string, format: Format): AnswerVerdict | null {
  const json = jsonOf(excerpt);
  const first = Array.isArray(json?.errors)
    ? (json.errors[0] as Record<string, unknown> | undefined)
    : undefined;
  const reason = clip(
    typeof first?.message === 'string'
      ? `${first.message}${typeof first.field === 'string' ? ` (${first.field})` : ''}`
      : excerpt.trim() || 'no reason given',
    200,
  );
  if (status === 400 || status === 413)
    return {
      permanent: true,
      disable: false,
      error: `SendGrid refused the mail (${status} ${reason})${format === 'sendgrid' ? '.' : ': is the format set to sendgrid?'}`,
    };
  if (status === 401 || status === 403)
    return {
      permanent: true,
      disable: false,
      error: `SendGrid refused the API key (${status} ${reason}): check the Authorization header (Bearer <API key>) and its mail send permission.`,
    };
  return null;
}

/** The verdict on a failed answer from a known service; null when the usual retry rules apply. */
export function judgeAnswer(
  service: Service | null,
  format: Format,
  status: number | null,
  excerpt: string,
): AnswerVerdict | null {
  if (service === null || status === null) return null;
  if (service === 'slack') return slack(status, excerpt, format);
  if (service === 'discord') return discord(status, excerpt, format);
  return sendgrid(status, excerpt, format);
}

/** Times as the API gives them (`YYYY-MM-DD HH:MM:SS`, UTC) shown as "5 minutes ago" with the exact time on hover. */
import { __, sprintf } from '@wordpress/i18n';

/** Milliseconds since the epoch of an API time, or NaN. */
export function parseApiTime(value) {
  if (!value) return NaN;
  return Date.parse(`${String(value).replace(' ', 'T')}${/Z$|[+-]\d\d:?\d\d$/.test(value) ? '' : 'Z'}`);
}

const units = [
  ['year', 365 * 86400],
  ['month', 30 * 86400],
  ['day', 86400],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

/** "3 minutes ago", in the browser's language (Intl), or an em dash for no time. */
export function timeAgo(value, now = Date.now()) {
  const t = parseApiTime(value);
  if (Number.isNaN(t)) return '—';
  const seconds = Math.round((t - now) / 1000);
  const [unit, size] = units.find(([, s]) => Math.abs(seconds) >= s) ?? ['second', 1];
  return new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' }).format(Math.round(seconds / size), unit);
}

export function TimeAgo({ value }) {
  if (!value) return '—';
  return (
    <time
      dateTime={`${value.replace(' ', 'T')}Z`}
      title={sprintf(__('%s UTC', 'fluent-community-webhooks'), value)}
    >
      {timeAgo(value)}
    </time>
  );
}

/**
 * The one conversion between the database's DATETIME text ('YYYY-MM-DD HH:MM:SS' with optional fraction, always
 * UTC: the sidecar's sessions and the plugin write UTC) and JavaScript dates. The API shows the same form.
 */

/** A Date as DATETIME text in UTC: milliseconds kept (`fraction` 3, DATETIME(3)) or dropped (0, whole seconds). */
export function toDbTime(date: Date, fraction: 0 | 3 = 3): string {
  return date
    .toISOString()
    .slice(0, fraction === 3 ? 23 : 19)
    .replace('T', ' ');
}

/** DATETIME text in UTC ('YYYY-MM-DD HH:MM:SS(.ffffff)'), or ISO 8601 with its zone, as a Date. */
export function fromDbTime(value: string): Date {
  return new Date(/[zZ]$/.test(value) ? value : `${value.replace(' ', 'T')}Z`);
}

/** Which secrets sign now: the current one, and the previous one while its overlap window lasts. */
import { fromDbTime } from '../../../../shared/datetime.ts';

/** The previous secret while `previous_secret_expires_at` (UTC) is ahead of `now`, else null. */
export function previousWhileValid(
  row: { previous_secret_expires_at: string | null },
  previous: string | null | undefined,
  now: Date,
): string | null {
  const expires = row.previous_secret_expires_at ? fromDbTime(row.previous_secret_expires_at).getTime() : 0;
  return previous && expires > now.getTime() ? previous : null;
}

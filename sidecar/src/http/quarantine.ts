/** Handlers of the inbox's quarantine: list the rows set aside, move one back into the inbox. */
import * as s from '../../../shared/schemas.ts';
import { inTransaction } from '../db/pool.ts';
import { listQuarantine, requeueQuarantined } from '../db/quarantine.ts';
import type { Deps } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { parseId, validate } from './input.ts';
import type { Handler } from './webhooks.ts';

export function quarantineHandlers(deps: Deps): Record<'listQuarantine' | 'retryQuarantined', Handler> {
  const { db, tables: t } = deps;
  return {
    async listQuarantine(c) {
      const q = validate(s.listQuarantineQuery, c.req.query());
      const { rows, total } = await listQuarantine(db, t, q.page, q.per_page);
      c.header('X-WP-Total', String(total));
      c.header('X-WP-TotalPages', String(Math.ceil(total / q.per_page)));
      return c.json({ rows });
    },
    async retryQuarantined(c) {
      const id = parseId(c.req.param('id'), 'quarantined_row_not_found');
      const inboxId = await inTransaction(db, (conn) => requeueQuarantined(conn, t, id));
      if (inboxId === null) throw new ApiError('quarantined_row_not_found');
      deps.log.info({ quarantineId: id, inboxId }, 'quarantined inbox row moved back into the inbox');
      deps.wake();
      return c.json({ inbox_id: inboxId, message: s.messages.requeued });
    },
  };
}

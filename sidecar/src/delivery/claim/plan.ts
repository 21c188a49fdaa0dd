/**
 * What the worker's next claim asks for: as many rows as its free slots can take, the webhooks at their limit to
 * skip, and, while one is, the other webhooks to read one by one (their ids read again at most once a second).
 */
import { maxClaimWebhooks, selectWebhookIds, type ClaimRequest } from './claim.ts';
import type { Conn, Tables } from '../../db/pool.ts';
import type { Slots } from './slots.ts';

export interface ClaimPlanOptions {
  db: Conn;
  tables: Tables;
  slots: Slots;
  /** The claiming worker (`claimed_by`). */
  owner: string;
  leaseSeconds: number;
  /** FCWH_CONCURRENCY. */
  concurrency: number;
}

export interface ClaimPlan {
  /** Reads the webhook ids again if a webhook is at its limit and the last read is a second old or more. */
  refresh(): Promise<void>;
  /** The request for a claim now, or null when too few slots are free. */
  request(): ClaimRequest | null;
}

export function createClaimPlan(options: ClaimPlanOptions): ClaimPlan {
  const { slots } = options;
  /** While busy, claim only when this many can be claimed: one claim transaction serves many slots. */
  const claimBatch = Math.max(1, Math.min(32, Math.floor(options.concurrency / 4)));
  /** Rows per claim transaction (its UPDATE lists their ids, its read carries their payloads). */
  const maxClaim = 500;
  /** The site's webhook ids; a webhook created since the last read waits about a second for its first claim. */
  const webhookIds = { ids: [] as number[], at: 0 };

  const slotsToClaim = () => {
    const room = slots.claimable();
    const busy = slots.sending() > 0 || slots.queued() > 0;
    return room <= 0 || (room < claimBatch && busy) ? 0 : Math.min(room, maxClaim);
  };

  return {
    async refresh() {
      if (slots.saturated().length === 0 || Date.now() - webhookIds.at < 1000) return;
      webhookIds.ids = await selectWebhookIds(options.db, options.tables);
      webhookIds.at = Date.now();
    },
    request() {
      const limit = slotsToClaim();
      if (limit === 0) return null;
      const skipWebhooks = slots.saturated();
      const others = webhookIds.ids.filter((id) => !skipWebhooks.includes(id));
      // A webhook at its limit (a dead endpoint) may have a long due backlog: read the others' rows webhook by
      // webhook rather than walk past it on every claim, unless there are so many that one read in due order is
      // cheaper.
      const onlyWebhooks =
        skipWebhooks.length > 0 && webhookIds.at > 0 && others.length <= maxClaimWebhooks ? others : null;
      const { owner, leaseSeconds } = options;
      return { owner, limit, leaseSeconds, skipWebhooks, onlyWebhooks, room: slots.room };
    },
  };
}

/**
 * Leases: a worker renews the leases of its attempts under way, so an attempt longer than the lease is not taken
 * over by another worker (sent twice); a lease runs out only when its owner is gone.
 */
import type { RowDataPacket } from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../scripts/stack/wait.ts';
import { createLogger } from '../../sidecar/src/log.ts';
import { startRuntime } from '../../sidecar/src/runtime.ts';
import { useSidecarHarness } from '../helpers/sidecar-app.ts';

const h = useSidecarHarness({ env: { FCWH_LEASE_SECONDS: '1', FCWH_REQUEST_TIMEOUT_MS: '5000' } });

describe('leases', () => {
  it('keeps renewing the lease of an attempt that outlasts it, so a second worker does not send it again', async () => {
    // A second worker on the same database, sweeping expired leases every half second.
    const other = await startRuntime(h().config, createLogger('silent'), { startWorker: true });
    try {
      const hook = (
        await h().json('POST', '/admin/webhooks', {
          name: 'slow',
          url: `${h().receiver.url}/slow`,
          events: ['space.deleted'],
        })
      ).body as { id: number };
      h().receiver.setResponder(() => ({ delayMs: 3000 }));
      const call = {
        hook: 'fluent_community/space/deleted',
        args: [1],
        actor_id: 0,
        occurred_at: new Date().toISOString().replace('T', ' ').replace('Z', ''),
      };
      expect((await h().json('POST', '/events', { events: [call] })).status).toBe(202);
      await h().receiver.waitForRequests(1, { timeoutMs: 5000 });

      // Two seconds into a three-second answer, twice the lease: still claimed, its lease in the future.
      await new Promise((r) => setTimeout(r, 2000));
      const [rows] = await h().deps.db.query<RowDataPacket[]>(
        `SELECT status, lease_until > UTC_TIMESTAMP(3) AS leased FROM wp_fcwh_deliveries WHERE webhook_id = ?`,
        [hook.id],
      );
      expect(rows.map((r) => [r.status, Number(r.leased)])).toEqual([['in_flight', 1]]);

      await waitFor(
        'the delivery recorded',
        async () => {
          const [done] = await h().deps.db.query<RowDataPacket[]>(
            `SELECT status FROM wp_fcwh_deliveries WHERE webhook_id = ?`,
            [hook.id],
          );
          return done[0]?.status === 'delivered';
        },
        { timeoutMs: 5000 },
      );
      expect(h().receiver.requests).toHaveLength(1);
    } finally {
      h().receiver.setResponder(undefined);
      await other.close(0);
    }
  });
});

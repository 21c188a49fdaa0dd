import { describe, expect, it } from 'vitest';
import type { ClaimedDelivery } from '../../sidecar/src/delivery/claim/claimed.ts';
import { createRecorder, type AttemptResult } from '../../sidecar/src/delivery/outcome/record.ts';
import { useSidecarHarness } from '../helpers/sidecar-app.ts';

/**
 * A batch with several failures of one webhook that has been failing too long: it is disabled once, after its
 * last error, so the reason WordPress is told is the one last_error keeps (not a later attempt's plain error).
 */
const h = useSidecarHarness({ pollMs: 60_000 });

const failure = (webhookId: number, id: number, error: string): AttemptResult => ({
  delivery: { id, webhook_id: webhookId, attempts: 1, webhook_status: 'active' } as ClaimedDelivery,
  outcome: { kind: 'retry', status: 503, error, delaySeconds: 60 },
  startedAt: new Date(),
  ms: 5,
  excerpt: '',
  requestHeaders: '{}',
});

describe('a batch that disables a webhook', () => {
  it('disables it once, with the reason built from its last error in the batch', async () => {
    const webhookId = await h().webhook('failing', ['feed.deleted']);
    await h().database.pool.query(
      `UPDATE wp_fcwh_webhooks SET failing_since = UTC_TIMESTAMP(3) - INTERVAL 2 DAY WHERE id = ?`,
      [webhookId],
    );
    const disabled: [number, string][] = [];
    const notifyDisabled = (id: number, reason: string) => void disabled.push([id, reason]);
    const recorder = createRecorder({ ...h().deps, notifyDisabled }, 'test-owner', {
      disableAfterSeconds: 3600,
    });
    await Promise.all([
      recorder.record(failure(webhookId, 900001, 'HTTP 503.')),
      recorder.record(failure(webhookId, 900002, 'HTTP 502.')),
    ]);
    await recorder.drain();
    const [[row]] = (await h().database.pool.query(
      'SELECT status, last_error FROM wp_fcwh_webhooks WHERE id = ?',
      [webhookId],
    )) as never as [[{ status: string; last_error: string }]];
    expect(row.status).toBe('inactive');
    expect(row.last_error).toMatch(
      /^Disabled automatically after failing since .* UTC\. Last error: HTTP 502\.$/,
    );
    expect(disabled).toEqual([[webhookId, row.last_error]]);
    const [[attempts]] = (await h().database.pool.query(
      'SELECT COUNT(*) AS n FROM wp_fcwh_attempts WHERE webhook_id = ?',
      [webhookId],
    )) as never as [[{ n: number }]];
    expect(Number(attempts.n)).toBe(2);
  });
});

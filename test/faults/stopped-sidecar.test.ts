/**
 * The site keeps producing events while its sidecar is stopped, and while it starts again: the plugin's inbox keeps
 * every call, and all of them are delivered once it runs.
 */
import type { RowDataPacket } from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import { fireFixture, rest, useE2ESite } from '../helpers/rest.ts';
import { printCounts } from './report.ts';

const site = useE2ESite({ label: 'faults_stopped' });

describe('a stopped sidecar', () => {
  it('delivers every event fired while it was stopped and while it was starting', async () => {
    const { receiver, sidecar, db } = site();
    const created = await rest(site(), 'POST', '/admin/webhooks', {
      body: { name: 'stopped', url: `${receiver.url}/stopped`, events: ['space.deleted'] },
    });
    expect(created.status).toBe(201);
    await sidecar.stop('SIGTERM');
    receiver.clear();

    // 20 calls per request, each request numbered: data.id says which request a delivery came from.
    const perRequest = 20;
    let requests = 0;
    const fire = () =>
      fireFixture(site(), 'space.deleted', { times: perRequest, overrides: { 0: ++requests } });
    for (let i = 0; i < 5; i++) await fire();
    const [inbox] = await db.pool.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM wp_fcwh_inbox');
    const whileStopped = Number(inbox[0]?.n);
    const receivedWhileStopped = receiver.requests.length;

    const restarting = sidecar.restart();
    for (let i = 0; i < 5; i++) await fire();
    await restarting;
    for (let i = 0; i < 5; i++) await fire();

    const produced = requests * perRequest;
    await receiver.waitForRequests(produced, { timeoutMs: 30_000 });
    // Anything more would be a duplicate: wait until nothing arrives for longer than the one-second poll.
    await receiver.waitForQuiet(1_500);
    const byId = new Map<string, number>();
    const perSeq = new Map<number, number>();
    for (const r of receiver.requests) {
      byId.set(r.headers['webhook-id']!, (byId.get(r.headers['webhook-id']!) ?? 0) + 1);
      const seq = Number(JSON.parse(r.body).data.id);
      perSeq.set(seq, (perSeq.get(seq) ?? 0) + 1);
    }
    const duplicates = [...byId.values()].filter((n) => n > 1).length;
    const log = await rest(site(), 'GET', `/admin/webhooks/${created.body.id}/deliveries?status=delivered`);
    printCounts({
      scenario: 'sidecar stopped while WordPress fires 300 action calls (100 down, 100 starting, 100 up)',
      produced,
      delivered: byId.size,
      lost: produced - byId.size,
      duplicated: duplicates,
      why: 'none: the plugin wrote every call to the inbox table, drained once the sidecar ran',
      extra: {
        'inbox while stopped': whileStopped,
        'received while stopped': receivedWhileStopped,
        'delivered in the log': log.headers.get('x-wp-total') ?? '?',
      },
    });
    expect(whileStopped).toBe(5 * perRequest);
    expect(receivedWhileStopped).toBe(0);
    expect(byId.size).toBe(produced);
    expect(duplicates).toBe(0);
    expect([...perSeq.values()]).toEqual(Array(requests).fill(perRequest));
    expect(log.headers.get('x-wp-total')).toBe(String(produced));
  });
});

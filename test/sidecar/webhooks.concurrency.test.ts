/** Webhooks created at the same time through the API: every one is created, with its own subscriptions. */
import { describe, expect, it } from 'vitest';
import { useSidecarHarness } from '../helpers/sidecar-app.ts';

// As many pool connections as requests, so that all the creations really run side by side.
const h = useSidecarHarness({ worker: false, env: { FCWH_DB_POOL: '24' } });

describe('concurrent webhook creation', () => {
  it('creates 20 webhooks posted at once, each answered 201 with its own events', async () => {
    const events = ['feed.created', 'comment.created', 'space.member_joined'];
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        h().json('POST', '/admin/webhooks', {
          name: `Concurrent ${i}`,
          url: `https://example.com/concurrent/${i}`,
          events: events.slice(0, 1 + (i % 3)),
        }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(201));
    const ids = answers.map((a) => a.body.id as number);
    expect(new Set(ids).size).toBe(20);
    for (const [i, id] of ids.entries()) {
      const got = await h().json('GET', `/admin/webhooks/${id}`);
      expect(got.body).toMatchObject({ name: `Concurrent ${i}`, events: events.slice(0, 1 + (i % 3)) });
    }
  });
});

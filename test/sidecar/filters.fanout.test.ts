/**
 * Filters where events become deliveries: each stored event carries its space, and the fan-out creates deliveries
 * only for the webhooks whose filters pass it. Events go in through POST /events, as the plugin's calls do.
 */
import type { RowDataPacket } from 'mysql2/promise';
import { beforeAll, describe, expect, it } from 'vitest';
import { exampleCalls } from '../../shared/event-examples.ts';
import type { EventName } from '../../shared/events.ts';
import { createFcomTables, seedSpaces } from '../helpers/fcom-tables.ts';
import { useSidecarHarness } from '../helpers/sidecar-app.ts';

const h = useSidecarHarness({ worker: false });
const ids: Record<string, number> = {};

beforeAll(async () => {
  await createFcomTables(h().database.pool);
  await seedSpaces(h().database.pool, [
    { id: 8, privacy: 'public' },
    { id: 9, type: 'course', privacy: 'private', parent_id: 3 },
  ]);
  // The examples' actors: user 1 an administrator, user 2 a subscriber, user 5 no capabilities row yet.
  const q = (sql: string) => h().database.pool.query(sql);
  await q(`CREATE TABLE wp_users (ID BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_login VARCHAR(60) NOT NULL DEFAULT '', user_email VARCHAR(100) NOT NULL DEFAULT '',
    user_url VARCHAR(100) NOT NULL DEFAULT '', user_registered DATETIME NOT NULL DEFAULT '2024-01-01 00:00:00',
    display_name VARCHAR(250) NOT NULL DEFAULT '')`);
  await q(`CREATE TABLE wp_usermeta (umeta_id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id BIGINT UNSIGNED NOT NULL, meta_key VARCHAR(255) NULL, meta_value LONGTEXT NULL, KEY user_id (user_id))`);
  await q(`INSERT INTO wp_usermeta (user_id, meta_key, meta_value) VALUES
    (1, 'wp_capabilities', 'a:1:{s:13:"administrator";b:1;}'), (2, 'wp_capabilities', 'a:1:{s:10:"subscriber";b:1;}')`);
  const filters = {
    space8: { spaces: [8] },
    group3: { spaces: [3] },
    publicOnly: { privacy: ['public'] },
    privateOnly: { privacy: ['private'] },
    none: {},
    noAdmins: { exclude_roles: ['administrator'] },
  };
  for (const [name, f] of Object.entries(filters)) {
    const res = await h().json('POST', '/admin/webhooks', {
      name,
      url: `${h().receiver.url}/${name}`,
      events: ['*'],
      filters: f,
    });
    expect(res.status).toBe(201);
    ids[name] = res.body.id;
  }
});

/** Ingests the example call of `event` (with `args` instead of its arguments, if given); returns the event row. */
async function ingest(event: EventName, args?: unknown[]) {
  const example = exampleCalls[event];
  const res = await h().call('POST', '/events', {
    events: [
      {
        hook: example.hook,
        args: args ?? example.args,
        actor_id: example.actorId,
        occurred_at: '2024-01-15 10:30:00',
      },
    ],
  });
  // 202: stored and fanned out (committed) before the answer.
  expect(res.status).toBe(202);
  const [[row]] = (await h().database.pool.query(
    'SELECT id, space_id, space_privacy, space_parent_id, actor_roles FROM wp_fcwh_events ORDER BY id DESC LIMIT 1',
  )) as never as [[RowDataPacket]];
  const [deliveries] = await h().database.pool.query<RowDataPacket[]>(
    'SELECT webhook_id FROM wp_fcwh_deliveries WHERE event_id = ? ORDER BY webhook_id',
    [row!.id],
  );
  const reached = Object.keys(ids).filter((name) =>
    deliveries.some((d) => Number(d.webhook_id) === ids[name]),
  );
  return { row: row!, reached };
}

describe('filters at fan-out', () => {
  it("stores a post's space from the post's loaded space and delivers by it", async () => {
    const { row, reached } = await ingest('feed.created');
    expect(row).toMatchObject({ space_id: 8, space_privacy: 'public', space_parent_id: null });
    expect(row.actor_roles).toBe(',administrator,');
    expect(reached).toEqual(['space8', 'publicOnly', 'none']);
  });

  it("stores a lesson's course as read from fcom_spaces, with its group", async () => {
    const { row, reached } = await ingest('lesson.completed');
    expect(row).toMatchObject({ space_id: 9, space_privacy: 'private', space_parent_id: 3 });
    expect(row.actor_roles).toBe(',subscriber,');
    expect(reached).toEqual(['group3', 'privateOnly', 'none', 'noAdmins']);
  });

  it('delivers an event in no space to every webhook', async () => {
    const { row, reached } = await ingest('user.registered');
    expect(row).toMatchObject({ space_id: null, space_privacy: null, actor_roles: null });
    expect(reached).toEqual(['space8', 'group3', 'publicOnly', 'privateOnly', 'none', 'noAdmins']);
  });

  it('keeps the privacy an event was stored with when the space changes later', async () => {
    const { row } = await ingest('lesson.completed');
    await seedSpaces(h().database.pool, [{ id: 9, type: 'course', privacy: 'public', parent_id: 3 }]);
    const [[again]] = (await h().database.pool.query(
      'SELECT space_privacy FROM wp_fcwh_events WHERE id = ?',
      [row.id],
    )) as never as [[RowDataPacket]];
    expect(again!.space_privacy).toBe('private');
    // A new lesson event sees the new privacy.
    expect((await ingest('lesson.completed')).reached).toEqual(['group3', 'publicOnly', 'none', 'noAdmins']);
  });

  it('leaves a space whose privacy cannot be read out of privacy filters, not out of space filters', async () => {
    const { row, reached } = await ingest('space.deleted', [8]);
    expect(row).toMatchObject({ space_id: 8, space_privacy: 'public' });
    expect(reached).toEqual(['space8', 'publicOnly', 'none']);
    const gone = await ingest('space.deleted', [4040]);
    expect(gone.row).toMatchObject({ space_id: 4040, space_privacy: null });
    expect(gone.reached).toEqual(['none']);
  });
});

/** The fan-out's filter condition (SQL, on a real MariaDB) says what `filterVerdict` says, for every pair. */
import type { RowDataPacket } from 'mysql2/promise';
import { beforeAll, describe, expect, it } from 'vitest';
import { filterVerdict, noScope, type EventScope, type Filters } from '../../shared/filters.ts';
import { factsColumns, fanOutFilter, writeFilters } from '../../sidecar/src/db/filters.ts';
import { migrate } from '../../sidecar/src/db/migrate.ts';
import { tableNames } from '../../sidecar/src/db/pool.ts';
import { insertWebhook } from '../../sidecar/src/db/webhooks.ts';
import { useTestDatabase } from '../helpers/db.ts';

const database = useTestDatabase('filters_sql');
const t = tableNames('wp_');

const filters: Filters[] = [
  {},
  { spaces: [8] },
  { spaces: [3] },
  { spaces: [99] },
  { privacy: ['public'] },
  { privacy: ['public', 'private'] },
  { privacy: ['secret'] },
  { spaces: [8, 20], privacy: ['public'] },
  { spaces: [3], privacy: ['private', 'secret'] },
  { exclude_roles: ['administrator'] },
  { exclude_roles: ['editor', 'shop_manager'], privacy: ['public'] },
];
const scopes: EventScope[] = [
  noScope,
  { space_id: 8, privacy: 'public', parent_id: null },
  { space_id: 8, privacy: 'private', parent_id: null },
  { space_id: 20, privacy: 'private', parent_id: 3 },
  { space_id: 9, privacy: 'secret', parent_id: 3 },
  { space_id: 77, privacy: null, parent_id: null },
  { space_id: 3, privacy: 'public', parent_id: null },
];
/** Each scope once per actor: nobody, a subscriber, an administrator, an editor who also manages the shop. */
const actors: string[][] = [[], ['subscriber'], ['administrator'], ['editor', 'shop_manager']];
const events = scopes.flatMap((scope) => actors.map((roles) => ({ scope, roles })));

const webhookIds: number[] = [];
const eventIds: number[] = [];

beforeAll(async () => {
  const { pool } = database();
  await migrate(pool, t, 'wp_');
  for (const [i, f] of filters.entries()) {
    const id = await insertWebhook(pool, t, {
      name: `f${i}`,
      url: 'https://example.com/',
      status: 'active',
      secret_enc: 'x',
      headers_enc: 'x',
      retry_count: 0,
    });
    await writeFilters(pool, t, id, f, true);
    webhookIds.push(id);
  }
  for (const [i, { scope, roles }] of events.entries()) {
    const [result] = (await pool.query(
      `INSERT INTO ${t.events} (uid, event, payload, created_at, space_id, space_privacy, space_parent_id, actor_roles)
       VALUES (?, 'feed.created', '{}', UTC_TIMESTAMP(3), ?, ?, ?, ?)`,
      [`msg_scope_${i}`, ...factsColumns(scope, roles)],
    )) as never as [{ insertId: number }];
    eventIds.push(result.insertId);
  }
});

describe('filters in the fan-out statement', () => {
  it("stores an actor's roles as whole names only, within the column", () => {
    expect(factsColumns(noScope, ['editor', 'shop_manager'])[3]).toBe(',editor,shop_manager,');
    expect(factsColumns(noScope, [])[3]).toBeNull();
    const many = Array.from({ length: 40 }, (_, i) => `role_number_${i}`);
    const stored = factsColumns(noScope, many)[3]!;
    expect(stored.length).toBeLessThanOrEqual(255);
    expect(stored.endsWith(',')).toBe(true);
    expect(
      stored
        .split(',')
        .filter(Boolean)
        .every((r) => many.includes(r)),
    ).toBe(true);
  });

  it('passes exactly the pairs filterVerdict passes', async () => {
    const [rows] = await database().pool.query<RowDataPacket[]>(
      `SELECT w.id AS webhook, e.id AS event FROM ${t.events} e JOIN ${t.webhooks} w
       WHERE ${fanOutFilter(t)} ORDER BY w.id, e.id`,
    );
    const fromSql = rows.map((r) => `${r.webhook}:${r.event}`);
    const expected = webhookIds.flatMap((w, i) =>
      eventIds
        .filter((_, j) => filterVerdict(filters[i]!, events[j]!.scope, events[j]!.roles).pass)
        .map((e) => `${w}:${e}`),
    );
    expect(fromSql).toEqual(expected);
    // Not a vacuous agreement: some pairs pass, some do not, for each kind of filter.
    expect(expected.length).toBeGreaterThan(10);
    expect(expected.length).toBeLessThan(filters.length * events.length);
  });

  it('lets an event with no space through every filter, and one of unknown privacy through no privacy filter', () => {
    for (const f of filters) expect(filterVerdict(f, noScope).pass).toBe(true);
    expect(filterVerdict({ exclude_roles: ['administrator'] }, noScope, ['administrator'])).toEqual({
      pass: false,
      reason: 'the acting user is administrator, in filters.exclude_roles',
    });
    expect(filterVerdict({ privacy: ['public', 'private', 'secret'] }, scopes[5]!)).toEqual({
      pass: false,
      reason: 'space 77 is of unknown privacy, not in filters.privacy',
    });
    expect(filterVerdict({ spaces: [3] }, scopes[3]!).pass).toBe(true);
  });
});

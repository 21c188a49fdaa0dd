/** `filters` on the webhook object: validated on save, normalised, shown with the names of the spaces that exist. */
import { describe, expect, it } from 'vitest';
import * as s from '../../shared/schemas.ts';
import { createFcomTables, seedSpaces } from '../helpers/fcom-tables.ts';
import { useSidecarHarness } from '../helpers/sidecar-app.ts';

const h = useSidecarHarness({ worker: false });
const base = { name: 'Filtered', url: 'https://example.com/filtered', events: ['feed.created'] };

const create = (filters: unknown) => h().json('POST', '/admin/webhooks', { ...base, filters });

async function expectRejected(filters: unknown, message: RegExp) {
  for (const answer of [
    await create(filters),
    await h().json('PUT', `/admin/webhooks/${(await create(undefined)).body.id}`, { filters }),
  ]) {
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: 'invalid_filters', data: { status: 400 } });
    expect(answer.body.message).toMatch(message);
    expect(answer.body.data.params.filters).toMatch(message);
  }
}

describe('webhook filters (in-process sidecar)', () => {
  it('shows no filters and no spaces when none are given, even where Fluent Community has no tables', async () => {
    const created = await create(undefined);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ filters: {}, filter_spaces: [] });
    const withSpaces = await create({ spaces: [8] });
    expect(withSpaces.status).toBe(201);
    expect(withSpaces.body).toMatchObject({ filters: { spaces: [8] }, filter_spaces: [] });
  });

  it('keeps ids of spaces that do not exist and names the ones that do', async () => {
    await createFcomTables(h().database.pool);
    await seedSpaces(h().database.pool, [
      { id: 8, title: 'Announcements', privacy: 'public' },
      { id: 9, title: 'Onboarding course', type: 'course', privacy: 'private' },
    ]);
    const { status, body } = await create({ spaces: [9, 404, 8, 9], privacy: ['secret', 'public'] });
    expect(status).toBe(201);
    expect(s.createWebhookResponse.parse(body).filters).toEqual({
      spaces: [8, 9, 404],
      privacy: ['public', 'secret'],
    });
    expect(body.filter_spaces).toEqual([
      { id: 8, title: 'Announcements', slug: 'announcements', type: 'community', privacy: 'public' },
      { id: 9, title: 'Onboarding course', slug: 'onboarding-course', type: 'course', privacy: 'private' },
    ]);
    const got = await h().json('GET', `/admin/webhooks/${body.id}`);
    expect(got.body).toMatchObject({ filters: body.filters, filter_spaces: body.filter_spaces });
    const list = await h().json('GET', '/admin/webhooks?per_page=100');
    const listed = list.body.webhooks.find((w: { id: number }) => w.id === body.id);
    expect(listed).toMatchObject({ filters: body.filters, filter_spaces: body.filter_spaces });
    expect(s.listWebhooksResponse.parse(list.body).webhooks.length).toBeGreaterThan(1);
  });

  it('replaces filters on update, keeps them when the field is absent, and clears them with {} or null', async () => {
    const { body } = await create({ spaces: [8], privacy: ['public'] });
    const path = `/admin/webhooks/${body.id}`;
    const renamed = await h().json('PUT', path, { name: 'Renamed' });
    expect(renamed.body.filters).toEqual({ spaces: [8], privacy: ['public'] });
    const replaced = await h().json('PUT', path, { filters: { privacy: ['private'] } });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ filters: { privacy: ['private'] }, filter_spaces: [] });
    const [rows] = (await h().database.pool.query(
      'SELECT space_id FROM wp_fcwh_webhook_spaces WHERE webhook_id = ?',
      [body.id],
    )) as never as [unknown[]];
    expect(rows).toEqual([]);
    expect((await h().json('PUT', path, { filters: { spaces: [] } })).body.filters).toEqual({});
    await h().json('PUT', path, { filters: { spaces: [9] } });
    expect((await h().json('PUT', path, { filters: null })).body.filters).toEqual({});
    await h().json('PUT', path, { filters: { spaces: [9] } });
    expect((await h().json('PUT', path, { filters: {} })).body).toMatchObject({
      filters: {},
      filter_spaces: [],
    });
  });

  it('refuses unknown keys, naming them', async () => {
    await expectRejected({ spaces: [8], tags: ['news'] }, /unknown key\(s\): tags/);
  });

  it('refuses privacy values Fluent Community does not have, naming the field and the value', async () => {
    await expectRejected({ privacy: ['public', 'hidden'] }, /filters\.privacy\[1\] .*"hidden"/);
    await expectRejected({ privacy: 'public' }, /filters\.privacy must be a list/);
  });

  it('refuses space ids that are not positive integers, naming the field', async () => {
    for (const bad of ['8', 8.5, 0, -3, true, null, 2 ** 60])
      await expectRejected({ spaces: [8, bad] }, /filters\.spaces\[1\] must be a positive integer/);
    await expectRejected({ spaces: 8 }, /filters\.spaces must be a list/);
    await expectRejected({ spaces: Array.from({ length: 101 }, (_, i) => i + 1) }, /at most 100/);
  });

  it('takes WordPress role names to exclude, and refuses anything else, naming the field', async () => {
    const { body } = await create({ exclude_roles: ['editor', 'administrator', 'editor'] });
    expect(body.filters).toEqual({ exclude_roles: ['administrator', 'editor'] });
    for (const bad of ['Administrator', 'shop manager', '', 7, 'x'.repeat(65)])
      await expectRejected(
        { exclude_roles: ['editor', bad] },
        /filters\.exclude_roles\[1\] must be a WordPress role name/,
      );
    await expectRejected({ exclude_roles: 'editor' }, /filters\.exclude_roles must be a list/);
  });

  it('refuses filters that are not an object', async () => {
    for (const bad of [['spaces'], 'spaces', 3])
      await expectRejected(
        bad,
        /filters must be an object with the optional keys spaces, privacy and exclude_roles/,
      );
  });

  it("says on the test route whether the chosen event's example would be filtered out", async () => {
    const res = await h().json('POST', '/admin/webhooks', {
      ...base,
      url: `${h().receiver.url}/tested`,
      filters: { privacy: ['private'] },
    });
    const test = (event?: string) =>
      h().json('POST', `/admin/webhooks/${res.body.id}/test`, event === undefined ? undefined : { event });
    const post = await test('feed.created');
    expect(s.testWebhookResponse.parse(post.body)).toMatchObject({
      success: true,
      filter: {
        event: 'feed.created',
        filtered_out: true,
        reason: 'space 8 is public, not in filters.privacy',
        space: { space_id: 8, privacy: 'public', parent_id: null },
      },
    });
    // The lesson's course (9) is read from this site's spaces: private here.
    expect((await test('lesson.completed')).body.filter).toEqual({
      event: 'lesson.completed',
      filtered_out: false,
      reason: null,
      space: { space_id: 9, privacy: 'private', parent_id: null },
    });
    expect((await test('user.registered')).body.filter).toMatchObject({ filtered_out: false, reason: null });
    expect((await test()).body).not.toHaveProperty('filter');
    const bad = await test('feed.exploded');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({
      code: 'rest_invalid_param',
      data: { params: { event: expect.any(String) } },
    });
  });

  it("says on the webhook's preview whether the chosen event's example would be filtered out", async () => {
    const { body: hook } = await create({ spaces: [999] });
    const preview = (event: string) => h().json('POST', `/admin/webhooks/${hook.id}/preview`, { event });
    const post = await preview('feed.created');
    expect(post.status).toBe(200);
    expect(s.previewResponse.parse(post.body).filter).toMatchObject({
      event: 'feed.created',
      filtered_out: true,
      space: { space_id: 8 },
    });
    expect(post.body.filter.reason).toMatch(/space 8/);
    // The body is still rendered: the admin sees what the event would send if the filter let it through.
    expect(JSON.parse(post.body.body)).toMatchObject({ event: 'feed.created' });
    expect((await preview('user.registered')).body.filter).toMatchObject({
      filtered_out: false,
      reason: null,
    });
    expect((await preview('webhook.test')).body).not.toHaveProperty('filter');
  });

  it('deletes the filter rows with the webhook', async () => {
    const { body } = await create({ spaces: [8, 9] });
    expect((await h().json('DELETE', `/admin/webhooks/${body.id}`)).status).toBe(200);
    const [rows] = (await h().database.pool.query(
      'SELECT * FROM wp_fcwh_webhook_spaces WHERE webhook_id = ?',
      [body.id],
    )) as never as [unknown[]];
    expect(rows).toEqual([]);
  });
});

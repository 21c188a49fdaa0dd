import { describe, expect, it } from 'vitest';
import { buildEventData, eventDataSchemas } from '../../shared/payloads.ts';
import { contextFor, loadFixture } from './hook-fixtures.ts';

const created = loadFixture('report.created');
const resolved = loadFixture('report.resolved');
const ctx = contextFor('report.created');

describe('report.created', () => {
  it('carries the reason, the reporting member and a summary of the reported post', async () => {
    const data = await buildEventData('report.created', created.hook, created.args, ctx);
    expect(data).toMatchObject({
      id: 1,
      content_type: 'post',
      reason: 'spam',
      explanation: 'Looks like spam',
      user_id: 2,
      reports_count: 1,
      content: { type: 'post', id: 9, user_id: 1, post_id: null, title: 'FC Drive post 1795753124855002478' },
    });
  });

  it('has no reporter for an automatic flag, which passes two arguments and no user', async () => {
    const [report, content] = created.args as [Record<string, unknown>, unknown];
    const { user_id: _reporter, ...flag } = report;
    const args = [{ ...flag, meta: { flagged_by: 'auto' } }, content];
    const data = await buildEventData('report.created', created.hook, args, ctx);
    expect(data).toMatchObject({ user_id: null, content_type: 'post', content: { type: 'post', id: 9 } });
  });

  it('summarises a reported comment with the post it belongs to', async () => {
    const comment = loadFixture('comment.updated').args[0];
    const report = { ...(created.args[0] as object), content_type: 'comment' };
    const data = await buildEventData('report.created', created.hook, [report, comment, 'comment'], ctx);
    expect(data.content).toMatchObject({ type: 'comment', id: 4, post_id: 9, user_id: 2, title: null });
    expect(eventDataSchemas['report.created'].safeParse(data).success).toBe(true);
  });
});

describe('report.resolved', () => {
  it('carries the new status and the moderator who resolved it', async () => {
    const data = await buildEventData('report.resolved', resolved.hook, resolved.args, ctx);
    expect(data).toMatchObject({
      id: 1,
      status: 'unpublished',
      resolved_by: 1,
      user_id: 2,
      reports_count: 1,
      content: { type: 'post', id: 9, status: 'unpublished' },
    });
  });

  it('takes the new status from the hook that fired', async () => {
    const data = await buildEventData(
      'report.resolved',
      'fluent_community/report/ignored',
      resolved.args,
      ctx,
    );
    expect(data.status).toBe('ignored');
  });

  it('has no content when the reported content was deleted, and no resolver without meta', async () => {
    const { meta: _meta, ...report } = resolved.args[0] as Record<string, unknown>;
    const data = await buildEventData('report.resolved', resolved.hook, [report, null], ctx);
    expect(data).toMatchObject({ content: null, resolved_by: null, content_type: 'post' });
  });

  it('casts a resolver id stored as a string', async () => {
    const report = { ...(resolved.args[0] as object), meta: { updated_by: '7' } };
    const data = await buildEventData('report.resolved', resolved.hook, [report, null], ctx);
    expect(data.resolved_by).toBe(7);
  });
});

/** Builders of the moderation events: a report with a summary of the reported post or comment. */
import type { HookArgs } from '../events.ts';
import { reportStatuses } from '../hooks.ts';
import type { BuildContext } from './context.ts';
import { toContentSummary } from './objects.ts';
import type { EventData } from './schemas.ts';
import { int, modelArg, record, text, timestamp, type Model } from './values.ts';

/** The fields both report events share; `stated` is the content type the action passed, if any. */
function reportFields(report: Model, stated: unknown) {
  const content_type = text(report.content_type) ?? text(stated);
  const automatic = record(report.meta)?.flagged_by === 'auto';
  const reporter = int(report.user_id);
  return {
    id: int(report.id),
    content_type,
    reason: text(report.reason),
    explanation: text(report.explanation),
    user_id: !automatic && reporter !== null && reporter > 0 ? reporter : null,
    status: text(report.status),
    reports_count: int(report.reports_count),
  };
}

export function reportCreated(args: HookArgs): EventData<'report.created'> {
  const report = modelArg(args, 0, 'report');
  const fields = reportFields(report, args[2]);
  const content = record(args[1]);
  return {
    ...fields,
    created_at: timestamp(report.created_at),
    content: content && toContentSummary(content, fields.content_type),
  };
}

/** The hook's own status (`report/{status}`) is the new status; the model's is the fallback. */
export function reportResolved(
  args: HookArgs,
  _ctx: BuildContext,
  hook: string,
): EventData<'report.resolved'> {
  const report = modelArg(args, 0, 'report');
  const fields = reportFields(report, undefined);
  const fromHook = reportStatuses.find((status) => hook === `fluent_community/report/${status}`);
  const content = record(args[1]);
  return {
    ...fields,
    status: fromHook ?? fields.status,
    resolved_by: int(record(report.meta)?.updated_by),
    updated_at: timestamp(report.updated_at),
    content: content && toContentSummary(content, fields.content_type),
  };
}

/**
 * The delivery path, one function per stage, in the order an event takes them:
 *
 *   drain → fan out → claim        drainFanOutClaim (one transaction), or claimDue alone
 *   render → sign → send           attempt
 *   record → reschedule | give up  attempt classifies the answer; the recorder (outcome/record.ts) writes it
 *
 * Each stage takes values and returns values; the worker (worker.ts) decides when each runs and how many at once.
 */
import { inboxDelete } from '../db/events.ts';
import { inScriptTransaction } from '../db/scripts.ts';
import type { Deps } from '../deps.ts';
import { BatchBuildError, inboxBatch, inboxBatchBytes, readInbox } from '../ingest/inbox.ts';
import { drainRowsAlone, isNotTheRows, isServerError, quarantineStatements } from '../ingest/quarantine.ts';
import { UnreadableWebhookError, type OpenedValues, type SealedRow } from '../sealed-webhook.ts';
import { claimAndCommit, type Claim, type ClaimRequest } from './claim/claim.ts';
import type { ClaimedDelivery } from './claim/claimed.ts';
import { storeAndFanOut } from './fan-out.ts';
import { classify, inactiveWebhook, unreadableWebhook, type RetryPolicy } from './outcome/classify.ts';
import type { AttemptResult } from './outcome/record.ts';
import { effectiveRateLimit } from '../../../shared/destinations.ts';
import { serviceOf } from '../render/answers.ts';
import { asFormat } from '../render/destination.ts';
import { targetUrl } from '../render/render.ts';
import type { SiteInfo } from '../render/site.ts';
import { render, RenderError, type Rendered } from './render.ts';
import { attemptHeaders, loggableHeaders } from './send/headers.ts';
import type { Sender } from './send/sender.ts';
import { previousWhileValid } from './sign/secrets.ts';

export type { AttemptResult } from './outcome/record.ts';
export type { Outcome } from './outcome/classify.ts';

// ── drain → fan out → claim ──────────────────────────────────────────────────────────────────────────────────

/**
 * Drains one batch of the inbox into events, fans them out into deliveries and claims due deliveries for
 * `request()`'s claim, in one transaction (a new event costs one commit on its way out, not two) and four round
 * trips: BEGIN with the read of the inbox, the actors' reads (readInbox), the writes with the read of due rows,
 * the claim with COMMIT (claimAndCommit). Returns how many inbox rows were taken, whether more may be waiting,
 * and the claim. No claim is made when the inbox is empty (the worker's own claim finds what is due) or when
 * `request` gives null (no free slot); it is asked only once the batch is built, so it counts the slots free then.
 */
export async function drainFanOutClaim(
  deps: Deps,
  request: () => ClaimRequest | null = () => null,
  batch = inboxBatch,
  maxBytes = inboxBatchBytes,
): Promise<{ rows: number; more: boolean; claim?: Claim }> {
  const t = deps.tables;
  /** The rows of the batch being drained, known once read: those to take one by one if it fails. */
  let taken: number[] = [];
  try {
    return await inScriptTransaction(deps.scriptDb, async (tx) => {
      const drained = await readInbox(tx, deps, batch, maxBytes);
      taken = drained.ids;
      if (drained.ids.length === 0) return { rows: 0, more: drained.more };
      const writes = [
        ...storeAndFanOut(t, drained.events),
        ...(drained.stored.length ? [inboxDelete(t, drained.stored)] : []),
        ...quarantineStatements(t, drained.setAside),
      ];
      const claimed = await claimAndCommit(tx, t, request(), writes);
      deps.metrics.countIngested(drained.events.length);
      if (drained.setAside.length) deps.metrics.countQuarantined(drained.setAside.length);
      return {
        rows: drained.ids.length,
        more: drained.more,
        ...(claimed.claim ? { claim: claimed.claim } : {}),
      };
    });
  } catch (error) {
    // A lost connection, a lock or a missing table says nothing about the rows, nor does a failure of the claim's
    // own code: the worker's loop tries the same batch again. A statement the server refuses may be one row's doing
    // (its values), as may a build that throws: retrying the batch as it is would fail forever and hold up every
    // row behind it, so its rows go one by one and a row that fails alone is set aside in the quarantine.
    const rows = error instanceof BatchBuildError ? error.ids : isServerError(error) ? taken : [];
    if (rows.length === 0 || isNotTheRows(error)) throw error;
    deps.log.warn(
      { err: (error as Error).message, rows: rows.length },
      'inbox batch failed; draining its rows one by one',
    );
    await drainRowsAlone(deps, rows, storeAndFanOut);
    return { rows: rows.length, more: true };
  }
}

/** Claims due deliveries in a transaction of its own (two round trips: see claimAndCommit). */
export async function claimDue(deps: Deps, request: ClaimRequest): Promise<Claim> {
  const { claim } = await inScriptTransaction(deps.scriptDb, (tx) =>
    claimAndCommit(tx, deps.tables, request),
  );
  return claim!;
}

// ── render → sign → send ─────────────────────────────────────────────────────────────────────────────────────

/** What the signed request names besides its body: the event's id and name, the webhook and its secrets. */
export interface SignSubject {
  event: string;
  /** The event's stable id (`webhook-id`). */
  msgId: string;
  webhookId: number;
  customHeaders: Readonly<Record<string, string>>;
  secret: string;
  previousSecret: string | null;
}

/** The sign stage: the attempt's request headers, its signatures over exactly the rendered bytes. */
export function sign(rendered: Rendered, s: SignSubject, at: Date): Record<string, string> {
  return attemptHeaders({
    event: s.event,
    msgId: s.msgId,
    webhookId: s.webhookId,
    customHeaders: s.customHeaders,
    secret: s.secret,
    previousSecret: s.previousSecret,
    body: rendered.body,
    contentType: rendered.contentType,
    formatHeaders: rendered.headers,
    timestamp: Math.floor(at.getTime() / 1000),
  });
}

export interface AttemptDeps {
  sender: Sender;
  /** A webhook's URL, secrets and headers, opened once per stored value (sealed-webhook.ts createWebhookOpener). */
  open: (row: SealedRow) => OpenedValues;
  policy: RetryPolicy;
  now: () => Date;
  /** The site as messages name it (its name, address and admin e-mail). */
  site: () => Promise<SiteInfo>;
  /**
   * Resolves at the webhook's next send slot: its pace, one budget per webhook shared by every sidecar
   * (db/pacing.ts). Absent: nothing is paced.
   */
  pace?: (webhookId: number, intervalSeconds: number) => Promise<void>;
  /** Holds every sidecar's sends to the webhook back by `seconds` (a 429's wait). */
  hold?: (webhookId: number, seconds: number) => Promise<void>;
}

/**
 * One attempt of a claimed delivery: pace, render, sign, send, and what the answer means (delivered, retry later,
 * give up). Never throws for HTTP or network failures: those are outcomes. A payload its format cannot render (a
 * template failing on it, a mail without recipient) is given up at once: the same bytes would fail again.
 */
export async function attempt(d: ClaimedDelivery, deps: AttemptDeps): Promise<AttemptResult> {
  if (d.webhook_status !== 'active')
    return {
      delivery: d,
      outcome: inactiveWebhook,
      startedAt: deps.now(),
      ms: 0,
      excerpt: '',
      requestHeaders: '{}',
    };
  let opened: OpenedValues;
  try {
    opened = deps.open({ ...d, id: d.webhook_id });
  } catch (error) {
    if (!(error instanceof UnreadableWebhookError)) throw error;
    const outcome = unreadableWebhook(error.message);
    return { delivery: d, outcome, startedAt: deps.now(), ms: 0, excerpt: '', requestHeaders: '{}' };
  }
  const format = asFormat(d.format);
  const webhookId = Number(d.webhook_id);
  const rate = effectiveRateLimit(format, d.rate_limit === null ? null : Number(d.rate_limit));
  if (rate !== null && deps.pace) await deps.pace(webhookId, 1 / rate);
  // After the pace's wait: the signature's timestamp is the moment of sending.
  const startedAt = deps.now();
  let rendered;
  try {
    rendered = render(d, await deps.site());
  } catch (error) {
    if (!(error instanceof RenderError)) throw error;
    const outcome = { kind: 'give_up', status: null, error: error.message, disableWebhook: false } as const;
    return { delivery: d, outcome, startedAt, ms: 0, excerpt: '', requestHeaders: '{}' };
  }
  const custom = opened.headers;
  const headers = sign(
    rendered,
    {
      event: d.event,
      msgId: d.uid,
      webhookId: Number(d.webhook_id),
      customHeaders: custom,
      secret: opened.secret,
      previousSecret: previousWhileValid(d, opened.previousSecret, startedAt),
    },
    startedAt,
  );
  const result = await deps.sender.send(targetUrl(format, opened.url), headers, rendered.body);
  const service = serviceOf(opened.url, format);
  const outcome = classify(result, d, deps.policy, { service, format });
  // A service's 429 is about the webhook, not this delivery: every sidecar's next send to it waits as long.
  if (service !== null && outcome.kind === 'retry' && outcome.status === 429 && deps.hold)
    await deps.hold(webhookId, outcome.delaySeconds);
  return {
    delivery: d,
    outcome,
    startedAt,
    ms: result.ms,
    excerpt: result.excerpt,
    requestHeaders: JSON.stringify(loggableHeaders(headers, Object.keys(custom))),
    ...(rendered.store
      ? { rendered: { body: rendered.body, contentType: rendered.contentType, format } }
      : {}),
  };
}

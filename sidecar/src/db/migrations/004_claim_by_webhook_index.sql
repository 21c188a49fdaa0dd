-- Claims while a webhook is at its concurrency limit (a dead or slow endpoint) read only the due rows of the other
-- webhooks: `status = 'pending' AND webhook_id IN (…) AND next_attempt_at <= now`, one range per webhook on this
-- index. Without it the claim walked `due_claim` in due order through every row of the stuck webhook's backlog to
-- reach the others' (4 ms per claim with 5,000 of them due, growing with the backlog, on every claim while it
-- lasts). Its price: claims and records change status, so each rewrites this entry too (docs/BENCHMARKS.md).
-- Idempotent, like every migration statement (an index already there, or already gone, is
-- passed over by the runner: MySQL has no IF [NOT] EXISTS on indexes).

ALTER TABLE {prefix}fcwh_deliveries ADD INDEX claim_by_webhook (status, webhook_id, next_attempt_at, id);

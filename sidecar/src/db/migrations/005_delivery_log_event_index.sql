-- The delivery log's pages and counts filtered by event (`GET /admin/webhooks/{id}/deliveries?event=…`, newest
-- first) read one index range in id order. Without it such a page walked the webhook's whole history backwards,
-- looking up every row to test its event: with 1,000,000 deliveries, 0.5-1.8 s for a rare event's page and 0.2-0.4 s
-- for its count (docs/BENCHMARKS.md). Its price is one more index entry per delivery, written once (a delivery's
-- event never changes). A status filter has no index of its own: every status change would rewrite it (one more
-- such index cost 5 % of P2 and 15-20 % of P8's sustained rate); its pages use claim_by_webhook or webhook_id.
-- Idempotent, like every migration statement (an index already there is passed over by the runner).

ALTER TABLE {prefix}fcwh_deliveries ADD INDEX log_by_event (webhook_id, event, id);

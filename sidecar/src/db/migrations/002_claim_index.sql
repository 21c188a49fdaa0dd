-- The claim's index carries id and webhook_id too (it replaces `due`, whose queries use its prefix): the claim
-- (`WHERE status = 'pending' AND next_attempt_at <= now [AND webhook_id NOT IN (...)] ORDER BY next_attempt_at, id`)
-- then reads this index only, in order, and a claim that passes over webhooks at their concurrency limit filters
-- their due rows inside the index instead of reading each row (a black-holed endpoint's backlog made every claim
-- read thousands of rows: see docs/BENCHMARKS.md, P5). Idempotent, like every migration statement (an index
-- already there, or already gone, is passed over by the runner: MySQL has no IF [NOT] EXISTS on indexes).

ALTER TABLE {prefix}fcwh_deliveries ADD INDEX due_claim (status, next_attempt_at, id, webhook_id);

ALTER TABLE {prefix}fcwh_deliveries DROP INDEX due;

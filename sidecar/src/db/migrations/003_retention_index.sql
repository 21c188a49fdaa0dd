-- Retention's prune (`WHERE status IN ('delivered', 'failed') AND updated_at < cutoff LIMIT n`, every minute) reads
-- this index's range of rows past the cutoff instead of walking the whole table in id order (EXPLAIN before: type
-- `index` on PRIMARY, every row read when nothing is old enough; after: type `range` on `retention`, covering).
-- Its price: claims and records change status and updated_at, so each rewrites this entry too (docs/BENCHMARKS.md).
-- Idempotent, like every migration statement (an index already there, or already gone, is passed over by the
-- runner: MySQL has no IF [NOT] EXISTS on indexes).

ALTER TABLE {prefix}fcwh_deliveries ADD INDEX retention (status, updated_at);

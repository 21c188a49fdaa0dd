-- Destinations: what each webhook sends (its format, a Liquid template and its Content-Type, the format's options),
-- the pace it keeps, and the body a delivery's first attempt rendered (with its Content-Type and the format it
-- was rendered in), so that retries send the same bytes while the webhook keeps that format.
-- `format_auto` is 1 while the format follows the URL (it was never given): an update of the URL then detects it
-- again. `next_send_at` is the webhook's pacing budget, shared by every sidecar on the database: a claim takes the
-- next slot from it. Existing webhooks keep the envelope (`json`) and no pace. Adding trailing nullable columns is
-- instant on MariaDB 10.3+ and MySQL 8.0.12+ (no table copy). Idempotent, like every migration statement (a column
-- already there is passed over by the runner: MySQL has no ADD COLUMN IF NOT EXISTS).

ALTER TABLE {prefix}fcwh_webhooks ADD COLUMN format VARCHAR(16) NOT NULL DEFAULT 'json';

ALTER TABLE {prefix}fcwh_webhooks ADD COLUMN format_auto TINYINT UNSIGNED NOT NULL DEFAULT 1;

ALTER TABLE {prefix}fcwh_webhooks ADD COLUMN template MEDIUMTEXT NULL;

ALTER TABLE {prefix}fcwh_webhooks ADD COLUMN content_type VARCHAR(255) NULL;

ALTER TABLE {prefix}fcwh_webhooks ADD COLUMN options TEXT NULL;

ALTER TABLE {prefix}fcwh_webhooks ADD COLUMN rate_limit DECIMAL(9,3) NULL;

ALTER TABLE {prefix}fcwh_webhooks ADD COLUMN next_send_at DATETIME(3) NULL;

ALTER TABLE {prefix}fcwh_deliveries ADD COLUMN rendered_body MEDIUMTEXT NULL;

ALTER TABLE {prefix}fcwh_deliveries ADD COLUMN rendered_type VARCHAR(255) NULL;

ALTER TABLE {prefix}fcwh_deliveries ADD COLUMN rendered_format VARCHAR(16) NULL;

-- Webhook URLs are credentials too (Slack, Discord and Teams put the token in the path): the real URL is sealed
-- in url_enc, bound to the webhook id; `url` keeps a masked form (scheme, host, port) for lists and search.
-- Secrets and headers are sealed with the id and the URL as associated data. The sidecar seals rows written
-- before this migration at start (sealed-upgrade.ts), and marks there the rows whose values no longer open:
-- `unreadable` lists their fields, and `reactivate_when_mended` says the sidecar deactivated them, so that saving
-- the values again turns them back on.
-- Idempotent, like every migration statement (a column already there is passed over by the runner).

ALTER TABLE {prefix}fcwh_webhooks ADD COLUMN url_enc TEXT NULL AFTER url;
ALTER TABLE {prefix}fcwh_webhooks ADD COLUMN unreadable VARCHAR(191) NULL;
ALTER TABLE {prefix}fcwh_webhooks ADD COLUMN reactivate_when_mended TINYINT(1) NOT NULL DEFAULT 0;

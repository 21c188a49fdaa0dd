-- Webhook filters (shared/filters.ts), the space each event happened in and its actor's roles. The fan-out's
-- INSERT … SELECT applies the filters for every webhook at once (db/filters.ts), so what it reads is in columns and
-- two small tables: `filter_spaces` / `filter_roles` say whether the webhook lists spaces / excluded roles (a
-- webhook without filters costs no subquery), the lists are rows of fcwh_webhook_spaces / fcwh_webhook_roles (one
-- primary-key range per webhook and event), `filter_privacy` is a comma list for FIND_IN_SET. `filters` keeps the
-- normalised JSON the API shows. An event's space and actor roles are recorded when it is stored (roles as
-- ",administrator,"), so a later change of the space's privacy does not change where queued events go. Rows stored
-- before this migration have neither (NULL): they pass every filter, as they did before filters existed.
-- Idempotent, like every migration statement (a column or index already there is passed over by the runner).

ALTER TABLE {prefix}fcwh_webhooks ADD COLUMN filters TEXT NULL;

ALTER TABLE {prefix}fcwh_webhooks ADD COLUMN filter_spaces TINYINT(1) NOT NULL DEFAULT 0;

ALTER TABLE {prefix}fcwh_webhooks ADD COLUMN filter_privacy VARCHAR(32) NULL;

ALTER TABLE {prefix}fcwh_webhooks ADD COLUMN filter_roles TINYINT(1) NOT NULL DEFAULT 0;

CREATE TABLE IF NOT EXISTS {prefix}fcwh_webhook_spaces (
  webhook_id BIGINT UNSIGNED NOT NULL,
  space_id BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (webhook_id, space_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS {prefix}fcwh_webhook_roles (
  webhook_id BIGINT UNSIGNED NOT NULL,
  role VARCHAR(64) NOT NULL,
  PRIMARY KEY (webhook_id, role)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

ALTER TABLE {prefix}fcwh_events ADD COLUMN space_id BIGINT UNSIGNED NULL;

ALTER TABLE {prefix}fcwh_events ADD COLUMN space_privacy VARCHAR(16) NULL;

ALTER TABLE {prefix}fcwh_events ADD COLUMN space_parent_id BIGINT UNSIGNED NULL;

ALTER TABLE {prefix}fcwh_events ADD COLUMN actor_roles VARCHAR(255) NULL;

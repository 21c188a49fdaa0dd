-- The HTTP status of a webhook's latest recorded attempt (null: none yet, or no answer), for the admin screen's
-- "last delivery" column: kept by the recorder with last_triggered_at and last_error, so a list reads no attempts.
-- Idempotent, like every migration statement (a column already there is passed over by the runner).

ALTER TABLE {prefix}fcwh_webhooks ADD COLUMN last_status_code SMALLINT UNSIGNED NULL AFTER last_error;

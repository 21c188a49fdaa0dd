-- Inbox rows that could not be turned into events (arguments that are not a JSON list or too large, arguments
-- that fit no event, a statement that fails on them), set aside with the reason so that the rest of the inbox
-- keeps flowing and nothing is deleted unseen. `GET /admin/inbox/quarantine` lists them; retrying one moves it back
-- into the inbox. The columns are the inbox's, plus where the row was (inbox_id), why and when it was set aside.
-- Idempotent, like every migration statement.

CREATE TABLE IF NOT EXISTS {prefix}fcwh_quarantine (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  inbox_id BIGINT UNSIGNED NOT NULL,
  hook VARCHAR(191) NOT NULL,
  args LONGTEXT NOT NULL,
  actor_id BIGINT UNSIGNED NOT NULL DEFAULT 0,
  request_id VARCHAR(64) NOT NULL DEFAULT '',
  occurred_at DATETIME(6) NOT NULL,
  error VARCHAR(1024) NOT NULL,
  quarantined_at DATETIME(3) NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

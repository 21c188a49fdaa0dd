-- Webhooks, their event subscriptions, the inbox the plugin writes to, events, deliveries and attempts.
-- {prefix} is the site's $table_prefix. Every statement is idempotent.

CREATE TABLE IF NOT EXISTS {prefix}fcwh_webhooks (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  name VARCHAR(191) NOT NULL,
  url VARCHAR(2048) NOT NULL,
  status VARCHAR(16) NOT NULL DEFAULT 'active',
  secret_enc VARCHAR(1024) NOT NULL,
  previous_secret_enc VARCHAR(1024) NULL,
  previous_secret_expires_at DATETIME(3) NULL,
  headers_enc TEXT NOT NULL,
  retry_count TINYINT UNSIGNED NOT NULL DEFAULT 3,
  last_triggered_at DATETIME NULL,
  last_error VARCHAR(1024) NULL,
  failing_since DATETIME(3) NULL,
  created_at DATETIME NOT NULL,
  updated_at DATETIME NOT NULL,
  PRIMARY KEY (id),
  KEY status (status)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS {prefix}fcwh_subscriptions (
  event VARCHAR(64) NOT NULL,
  webhook_id BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (event, webhook_id),
  KEY webhook_id (webhook_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS {prefix}fcwh_inbox (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  hook VARCHAR(191) NOT NULL,
  args LONGTEXT NOT NULL,
  actor_id BIGINT UNSIGNED NOT NULL DEFAULT 0,
  request_id VARCHAR(64) NOT NULL DEFAULT '',
  occurred_at DATETIME(6) NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS {prefix}fcwh_events (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  uid VARCHAR(40) NOT NULL,
  event VARCHAR(64) NOT NULL,
  payload LONGTEXT NOT NULL,
  dedupe_key VARCHAR(191) NULL,
  created_at DATETIME(3) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uid (uid),
  UNIQUE KEY dedupe_key (dedupe_key),
  KEY created_at (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS {prefix}fcwh_deliveries (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  webhook_id BIGINT UNSIGNED NOT NULL,
  event_id BIGINT UNSIGNED NOT NULL,
  event VARCHAR(64) NOT NULL,
  status VARCHAR(16) NOT NULL DEFAULT 'pending',
  attempts SMALLINT UNSIGNED NOT NULL DEFAULT 0,
  next_attempt_at DATETIME(3) NOT NULL,
  lease_until DATETIME(3) NULL,
  claimed_by VARCHAR(64) NULL,
  last_status_code SMALLINT UNSIGNED NULL,
  last_error VARCHAR(1024) NULL,
  created_at DATETIME(3) NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  delivered_at DATETIME(3) NULL,
  PRIMARY KEY (id),
  KEY due (status, next_attempt_at),
  KEY webhook_id (webhook_id, id),
  KEY event_id (event_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS {prefix}fcwh_attempts (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  delivery_id BIGINT UNSIGNED NOT NULL,
  webhook_id BIGINT UNSIGNED NOT NULL,
  attempt SMALLINT UNSIGNED NOT NULL,
  started_at DATETIME(3) NOT NULL,
  duration_ms INT UNSIGNED NOT NULL,
  status_code SMALLINT UNSIGNED NULL,
  error VARCHAR(1024) NULL,
  response_excerpt TEXT NULL,
  request_headers TEXT NOT NULL,
  PRIMARY KEY (id),
  KEY delivery_id (delivery_id, id),
  KEY started_at (started_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

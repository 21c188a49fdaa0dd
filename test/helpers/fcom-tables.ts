/**
 * Fluent Community's spaces and posts tables for tests without WordPress, with the columns of Fluent Community
 * 2.8.1 (FeedSpaceMigrator, FeedMigrator; the emulator plugin creates the same in WordPress sites).
 */
import type { Pool } from 'mysql2/promise';

export async function createFcomTables(pool: Pick<Pool, 'query'>, prefix = 'wp_'): Promise<void> {
  await pool.query(`CREATE TABLE IF NOT EXISTS ${prefix}fcom_spaces (
    id BIGINT UNSIGNED NOT NULL PRIMARY KEY AUTO_INCREMENT, created_by BIGINT UNSIGNED NULL,
    parent_id BIGINT UNSIGNED NULL, title VARCHAR(194) NOT NULL, slug VARCHAR(194) NOT NULL, logo TEXT NULL,
    cover_photo TEXT NULL, description LONGTEXT NULL, type VARCHAR(100) NULL,
    privacy VARCHAR(100) NULL DEFAULT 'public', status VARCHAR(100) NULL DEFAULT 'published',
    serial INT(11) NULL DEFAULT 1, settings LONGTEXT NULL, created_at TIMESTAMP NULL, updated_at TIMESTAMP NULL)`);
  await pool.query(`CREATE TABLE IF NOT EXISTS ${prefix}fcom_posts (
    id BIGINT UNSIGNED NOT NULL PRIMARY KEY AUTO_INCREMENT, user_id BIGINT UNSIGNED NULL,
    parent_id BIGINT UNSIGNED NULL, title VARCHAR(192) NULL, slug VARCHAR(192) NULL, message LONGTEXT NULL,
    message_rendered LONGTEXT NULL, type VARCHAR(100) NULL DEFAULT 'feed',
    content_type VARCHAR(100) NULL DEFAULT 'text', space_id BIGINT UNSIGNED NULL,
    privacy VARCHAR(100) NULL DEFAULT 'public', status VARCHAR(100) NULL DEFAULT 'published',
    featured_image TEXT NULL, meta LONGTEXT NULL, is_sticky TINYINT(1) NULL DEFAULT 0,
    comments_count INT(11) NULL DEFAULT 0, reactions_count INT(11) NULL DEFAULT 0, priority INT(11) NULL DEFAULT 0,
    expired_at DATETIME NULL, scheduled_at DATETIME NULL, created_at TIMESTAMP NULL, updated_at TIMESTAMP NULL)`);
}

export interface SpaceSeed {
  id: number;
  title?: string;
  type?: string;
  privacy?: string;
  parent_id?: number | null;
}

/** Writes spaces (replacing rows with the same id), the way Fluent Community stores them. */
export async function seedSpaces(pool: Pick<Pool, 'query'>, spaces: SpaceSeed[], prefix = 'wp_') {
  for (const s of spaces) {
    const title = s.title ?? `Space ${s.id}`;
    await pool.query(
      `REPLACE INTO ${prefix}fcom_spaces (id, created_by, parent_id, title, slug, type, privacy, status, created_at, updated_at)
       VALUES (?, 1, ?, ?, ?, ?, ?, 'published', UTC_TIMESTAMP(), UTC_TIMESTAMP())`,
      [
        s.id,
        s.parent_id ?? null,
        title,
        title.toLowerCase().replace(/\W+/g, '-'),
        s.type ?? 'community',
        s.privacy ?? 'public',
      ],
    );
  }
}

/** Writes posts (replacing rows with the same id) in the given spaces (null: a timeline post). */
export async function seedPosts(
  pool: Pick<Pool, 'query'>,
  posts: { id: number; space_id: number | null }[],
  prefix = 'wp_',
) {
  for (const p of posts)
    await pool.query(
      `REPLACE INTO ${prefix}fcom_posts (id, user_id, title, slug, message, space_id, created_at, updated_at)
       VALUES (?, 1, ?, ?, '', ?, UTC_TIMESTAMP(), UTC_TIMESTAMP())`,
      [p.id, `Post ${p.id}`, `post-${p.id}`, p.space_id],
    );
}

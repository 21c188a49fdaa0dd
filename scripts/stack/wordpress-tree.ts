/** The files of a WordPress site: a prepared core tree, per-site copies, wp-config.php and plugin copies. */
import { execFile } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { DbCredentials } from './mariadb.ts';
import { writePrivateFile } from './private-file.ts';

const run = promisify(execFile);

/** Debian's WordPress core. */
export const wordpressSource = '/usr/share/wordpress';

/**
 * Makes `dir` a plain copy of Debian's WordPress (symlinks resolved, no .htaccess, no wp-config.php) unless
 * it already is one. Sites are then made from it by `copySiteTree` in ~0.1 s instead of ~0.6 s.
 */
export async function prepareTemplate(dir: string): Promise<string> {
  const abs = path.resolve(dir);
  const marker = path.join(abs, '.fcwh-template');
  if (fs.existsSync(marker)) return abs;
  if (!fs.existsSync(path.join(wordpressSource, 'wp-load.php'))) {
    throw new Error(
      `${wordpressSource} is missing: run scripts/install-deps.sh (Debian package "wordpress")`,
    );
  }
  const scratch = `${abs}.tmp-${process.pid}`;
  fs.rmSync(scratch, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  await run('cp', ['-rL', wordpressSource, scratch]);
  for (const file of ['.htaccess', 'wp-config.php']) fs.rmSync(path.join(scratch, file), { force: true });
  fs.writeFileSync(path.join(scratch, '.fcwh-template'), `copied from ${wordpressSource}\n`);
  fs.rmSync(abs, { recursive: true, force: true });
  fs.renameSync(scratch, abs);
  return abs;
}

/**
 * Creates site dir `siteDir` from a template: hard links when `link` (fast; core files are shared, so never
 * edit them in place), else a full copy. Does nothing when `siteDir` already holds WordPress.
 */
export async function copySiteTree(templateDir: string, siteDir: string, link: boolean): Promise<void> {
  if (fs.existsSync(path.join(siteDir, 'wp-load.php'))) return;
  fs.mkdirSync(path.dirname(path.resolve(siteDir)), { recursive: true });
  fs.rmSync(siteDir, { recursive: true, force: true });
  await run('cp', [link ? '-al' : '-r', templateDir, siteDir]);
  fs.rmSync(path.join(siteDir, '.fcwh-template'), { force: true });
}

export interface WpConfigOptions {
  db: DbCredentials;
  tablePrefix: string;
  /** Site URL without trailing slash, e.g. `http://127.0.0.1:8089`. */
  url: string;
  sidecarUrl: string;
  sidecarSecret: string;
  debugLog: string;
  /** Leave WP-Cron on (default off: no loopback cron requests during tests). */
  wpCron?: boolean;
  /** More `define()`s. */
  constants?: Record<string, string | number | boolean>;
  /** Derive the auth keys and salts from this (stable logins across restarts, demo); omitted = random. */
  saltSeed?: string;
  /** A subdirectory multisite network on `url`'s host and port (no WP_HOME/WP_SITEURL: each site has its own). */
  network?: boolean;
}

/** Writes `siteDir/wp-config.php` atomically (the sidecar may be reading it) and returns its path. */
export function writeWpConfig(siteDir: string, options: WpConfigOptions): string {
  const constants: Record<string, string | number | boolean> = {
    DB_NAME: options.db.name,
    DB_USER: options.db.user,
    DB_PASSWORD: options.db.password,
    DB_HOST: `${options.db.host}:${options.db.port}`,
    DB_CHARSET: 'utf8mb4',
    DB_COLLATE: '',
    WP_ENVIRONMENT_TYPE: 'local',
    ...(options.network
      ? {
          MULTISITE: true,
          SUBDOMAIN_INSTALL: false,
          DOMAIN_CURRENT_SITE: new URL(options.url).host,
          PATH_CURRENT_SITE: '/',
          SITE_ID_CURRENT_SITE: 1,
          BLOG_ID_CURRENT_SITE: 1,
        }
      : { WP_HOME: options.url, WP_SITEURL: options.url }),
    WP_DEBUG: true,
    WP_DEBUG_LOG: options.debugLog,
    WP_DEBUG_DISPLAY: false,
    // No internet here: external HTTP (update checks) fails fast; the site's own host (127.0.0.1) stays allowed.
    WP_HTTP_BLOCK_EXTERNAL: true,
    AUTOMATIC_UPDATER_DISABLED: true,
    DISABLE_WP_CRON: !options.wpCron,
    FS_METHOD: 'direct',
    FCWH_SIDECAR_URL: options.sidecarUrl,
    FCWH_SIDECAR_SECRET: options.sidecarSecret,
    ...options.constants,
  };
  Object.assign(constants, salts(options.saltSeed));
  const lines = Object.entries(constants).map(([name, value]) => `define( '${name}', ${phpValue(value)} );`);
  const source = [
    '<?php',
    '// Written by scripts/stack/wordpress-tree.ts; rewritten on every start.',
    ...lines,
    `$table_prefix = ${phpValue(options.tablePrefix)};`,
    "@ini_set( 'display_errors', '0' );",
    "if ( ! defined( 'ABSPATH' ) ) {\n\tdefine( 'ABSPATH', __DIR__ . '/' );\n}",
    "require_once ABSPATH . 'wp-settings.php';",
    '',
  ].join('\n');
  const file = path.join(siteDir, 'wp-config.php');
  // It holds the shared secret and the database password.
  writePrivateFile(file, source);
  return file;
}

/** WordPress's eight keys and salts: derived from `seed` (stable across restarts), else random. */
export function salts(seed?: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const key of ['AUTH', 'SECURE_AUTH', 'LOGGED_IN', 'NONCE']) {
    for (const name of [`${key}_KEY`, `${key}_SALT`]) {
      values[name] = seed
        ? createHmac('sha256', seed).update(name).digest('base64')
        : randomBytes(32).toString('base64');
    }
  }
  return values;
}

/** `define( 'NAME', 'value' );` lines for WordPress's keys and salts (see `salts`). */
export function saltDefines(seed?: string): string {
  return Object.entries(salts(seed))
    .map(([name, value]) => `define( '${name}', ${phpValue(value)} );`)
    .join('\n');
}

/** A PHP literal for a string, number or boolean. */
export function phpValue(value: string | number | boolean): string {
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return String(value);
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * Copies a plugin (a directory, or a single PHP file) into `siteDir/wp-content/plugins/<slug>`, replacing an
 * older copy, and returns its plugin file relative to the plugins dir (`slug/main.php`) for activation,
 * or `undefined` when no file carries a `Plugin Name:` header.
 */
export function copyPlugin(
  siteDir: string,
  source: string,
  slug = path.basename(source),
): string | undefined {
  const target = path.join(siteDir, 'wp-content', 'plugins', slug);
  fs.rmSync(target, { recursive: true, force: true });
  fs.cpSync(source, target, { recursive: true, dereference: true });
  if (fs.statSync(target).isFile()) return slug;
  const main = fs
    .readdirSync(target)
    .filter((name) => name.endsWith('.php'))
    .sort()
    .find((name) =>
      /^[ \t/*#@]*Plugin Name:/im.test(fs.readFileSync(path.join(target, name), 'utf8').slice(0, 8192)),
    );
  return main && `${slug}/${main}`;
}

/** Copies PHP files or directories into `siteDir/wp-content/mu-plugins/` (loaded by WordPress without activation). */
export function copyMuPlugins(siteDir: string, sources: readonly string[]): void {
  const target = path.join(siteDir, 'wp-content', 'mu-plugins');
  fs.mkdirSync(target, { recursive: true });
  for (const source of sources) {
    fs.cpSync(source, path.join(target, path.basename(source)), { recursive: true, dereference: true });
  }
}

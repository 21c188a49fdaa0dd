/** A WordPress site without wp-cli: files from a template, installed by PHP CLI, served by `php -S`. */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { DbCredentials } from './mariadb.ts';
import { freePort } from './ports.ts';
import { spawnLogged, tailFile, type ManagedProcess } from './process.ts';
import { httpStatus, waitFor } from './wait.ts';
import {
  activatePlugins,
  installNetwork,
  installSite,
  populateNetwork,
  runInWordPress,
  type InstalledUser,
  type NetworkInput,
} from './wordpress-php.ts';
import { copyMuPlugins, copyPlugin, copySiteTree, prepareTemplate, writeWpConfig } from './wordpress-tree.ts';
import { writePrivateFile } from './private-file.ts';

/** The product plugin's source and its slug on a site. */
export const productPluginDir = path.resolve(import.meta.dirname, '../../wp-plugin');
export const productPluginFile = 'fluent-community-webhooks/fluent-community-webhooks.php';

/** The site's users: login → role. Every one gets an application password. */
export const siteUsers = {
  admin: 'administrator',
  member: 'subscriber',
  author: 'author',
  editor: 'editor',
} as const;
export type SiteUserName = keyof typeof siteUsers;
export interface SiteUser {
  user: string;
  app_password: string;
  id: number;
}

export interface WordPressOptions {
  /** The site's document root (created). An installed site there is reused (demo), see `stateFile`. */
  siteDir: string;
  /** A dir made by `prepareTemplate`; default `<siteDir>/../wordpress-template`. */
  templateDir?: string;
  /** Hard-link core files from the template (tests; default) instead of copying them (demo). */
  link?: boolean;
  db: DbCredentials;
  /** Default `wp_`. */
  tablePrefix?: string;
  /** Port for `php -S`; omitted = a free one. */
  port?: number;
  sidecarUrl: string;
  sidecarSecret: string;
  /** Copy wp-plugin/ in as `fluent-community-webhooks` (default true when wp-plugin/ exists). */
  productPlugin?: boolean;
  /** Activate it (default true); fails with a clear error when its main file does not exist. */
  activateProduct?: boolean;
  /** More plugin dirs (or single files), copied and activated before the product plugin. */
  extraPlugins?: readonly string[];
  /** PHP files or dirs copied to wp-content/mu-plugins/. */
  muPlugins?: readonly string[];
  /** Extra wp-config.php constants; `wpCron` turns WP-Cron back on. */
  constants?: Record<string, string | number | boolean>;
  wpCron?: boolean;
  /** Stable auth keys and salts derived from this (demo: logins survive a restart); omitted = random. */
  saltSeed?: string;
  /**
   * Make it a subdirectory multisite network whose main site is the installed one, with these subsites and
   * users; plugins are then activated network-wide.
   */
  network?: NetworkInput;
  /** Keep `php -S` running after this process exits (demo `up`). */
  background?: boolean;
  /**
   * Started once wp-config.php is written, concurrently with the install, and awaited before plugins are
   * activated: the place to start the sidecar (which reads wp-config.php) without costing extra time.
   */
  alongside?: (site: { wpConfig: string; url: string }) => Promise<unknown>;
}

export interface WordPressSite {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  /** `<url>/wp-json/` */
  readonly rest_url: string;
  readonly port: number;
  readonly siteDir: string;
  readonly wpConfig: string;
  /** PHP's error log (WP_DEBUG_LOG) and the built-in server's log. */
  readonly debugLog: string;
  readonly serverLog: string;
  readonly db: DbCredentials & { table_prefix: string };
  readonly users: Record<SiteUserName, SiteUser>;
  /** With `network`: each site (slug '' is the main one) with its REST root, and the network's extra users. */
  readonly network?: {
    readonly sites: Record<string, { readonly id: number; readonly url: string; readonly rest_url: string }>;
    readonly users: Record<string, SiteUser>;
  };
  readonly process: ManagedProcess;
  /** Runs PHP `code` (no `<?php`) inside WordPress via the CLI; `$fcwh_input` = `input`. Resolves with stdout. */
  php(code: string, input?: unknown): Promise<string>;
  /** `Authorization: Basic ...` header value for one of the users. */
  basicAuth(user?: SiteUserName): string;
  /** Stops `php -S` (SIGTERM, then SIGKILL after `timeoutMs`, default 5 000). */
  stop(timeoutMs?: number): Promise<void>;
}

/** Installs (or reuses) a site, copies and activates plugins, serves it and resolves once /wp-json/ answers 200. */
export async function startWordPress(options: WordPressOptions): Promise<WordPressSite> {
  const siteDir = path.resolve(options.siteDir);
  const template = await prepareTemplate(
    options.templateDir ?? path.join(path.dirname(siteDir), 'wordpress-template'),
  );
  await copySiteTree(template, siteDir, options.link ?? true);
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const tablePrefix = options.tablePrefix ?? 'wp_';
  const debugLog = path.join(path.dirname(siteDir), `${path.basename(siteDir)}-debug.log`);
  // A network's wp-config.php is written twice (single site, then network): the salts must stay the same.
  const saltSeed = options.saltSeed ?? (options.network ? randomBytes(16).toString('hex') : undefined);
  const wpConfig = writeWpConfig(siteDir, {
    ...options,
    saltSeed,
    tablePrefix,
    url,
    debugLog,
    network: false,
  });
  const sideline = options.alongside?.({ wpConfig, url });
  const [users] = await Promise.all([ensureUsers(siteDir, url), sideline]);
  let network: WordPressSite['network'];
  if (options.network) {
    await installNetwork(siteDir, url);
    writeWpConfig(siteDir, { ...options, saltSeed, tablePrefix, url, debugLog, network: true });
    const made = await populateNetwork(siteDir, url, options.network);
    network = {
      sites: Object.fromEntries(
        Object.entries(made.sites).map(([slug, s]) => [
          slug,
          { id: s.id, url: `${url}${s.path.replace(/\/$/, '')}`, rest_url: `${url}${s.path}wp-json/` },
        ]),
      ),
      users: Object.fromEntries(
        Object.entries(made.users).map(([login, u]) => [login, toSiteUser(u, login)]),
      ),
    };
  }
  const plugins = (options.extraPlugins ?? []).map((dir) => copyPlugin(siteDir, dir) ?? noHeader(dir));
  if (options.productPlugin ?? fs.existsSync(productPluginDir)) {
    const file = copyPlugin(siteDir, productPluginDir, 'fluent-community-webhooks');
    if (options.activateProduct ?? true) {
      if (file !== productPluginFile) {
        throw new Error(
          `cannot activate the product plugin: ${productPluginDir}/fluent-community-webhooks.php is missing or has no "Plugin Name:" header`,
        );
      }
      plugins.push(file);
    }
  }
  if (options.muPlugins) copyMuPlugins(siteDir, options.muPlugins);
  await activatePlugins(siteDir, url, plugins, options.network !== undefined);
  const serverLog = path.join(path.dirname(siteDir), `${path.basename(siteDir)}-server.log`);
  const server = spawnLogged('php -S', 'php', ['-S', `127.0.0.1:${port}`, '-t', siteDir], {
    cwd: siteDir,
    env: { ...process.env, PHP_CLI_SERVER_WORKERS: '4' },
    logFile: serverLog,
    background: options.background,
  });
  await waitFor(`WordPress at ${url}`, async () => (await httpStatus(`${url}/wp-json/`)) === 200, {
    timeoutMs: 20_000,
    abort: () => (server.exitInfo() ? `php -S exited; log:\n${tailFile(serverLog)}` : undefined),
  }).catch(async (error: unknown) => {
    await server.stop('SIGKILL');
    throw error;
  });
  return {
    url,
    rest_url: `${url}/wp-json/`,
    port,
    siteDir,
    wpConfig,
    debugLog,
    serverLog,
    db: { ...options.db, table_prefix: tablePrefix },
    users,
    ...(network ? { network } : {}),
    process: server,
    php: (code, input) => runInWordPress(siteDir, url, code, input),
    basicAuth: (name = 'admin') =>
      `Basic ${Buffer.from(`${users[name].user}:${users[name].app_password}`).toString('base64')}`,
    stop: (timeoutMs = 5_000) => server.stop('SIGTERM', timeoutMs),
  };
}

/**
 * Installs WordPress and the users once per site dir; their application passwords (stored hashed by WordPress)
 * are kept in `<siteDir>-state.json` so a reused site (demo) keeps answering to the same ones.
 */
async function ensureUsers(siteDir: string, url: string): Promise<Record<SiteUserName, SiteUser>> {
  const stateFile = `${siteDir}-state.json`;
  if (fs.existsSync(stateFile)) {
    fs.chmodSync(stateFile, 0o600); // a site made before the file was written private
    const saved = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as Record<SiteUserName, SiteUser>;
    await installSite(siteDir, url, {
      title: 'Fluent Community Webhooks',
      users: siteUsers,
      app_passwords: false,
    });
    return saved;
  }
  const installed = await installSite(siteDir, url, {
    title: 'Fluent Community Webhooks',
    users: siteUsers,
    app_passwords: true,
  });
  const users = Object.fromEntries(
    Object.keys(siteUsers).map((name) => [name, toSiteUser(installed[name], name)]),
  ) as Record<SiteUserName, SiteUser>;
  writePrivateFile(stateFile, JSON.stringify(users, null, 2) + '\n');
  return users;
}

function toSiteUser(installed: InstalledUser | undefined, name: string): SiteUser {
  if (!installed?.app_password) throw new Error(`WordPress install did not return user ${name}`);
  return { user: installed.user, id: installed.id, app_password: installed.app_password };
}

function noHeader(dir: string): never {
  throw new Error(`plugin ${dir}: no PHP file with a "Plugin Name:" header at its top level`);
}

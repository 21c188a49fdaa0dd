/** The site as messages name it, read from WordPress's options and kept for a minute (a rename shows soon enough). */
import { selectSiteOptions } from './db/site.ts';
import type { Conn, Tables } from './db/pool.ts';
import type { Deps } from './deps.ts';
import type { SiteInfo } from './render/site.ts';

const ttlMs = 60_000;

/**
 * WordPress stores `blogname` HTML-escaped (sanitize_option runs esc_html): the entities it writes are decoded so
 * each format escapes the plain name once, for its own destination.
 */
export function decodeWpText(text: string): string {
  return text
    .replace(/&#0*39;|&#x0*27;|&apos;/gi, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

export type SiteSource = () => Promise<SiteInfo>;

/** `fallbackUrl`: FCWH_SITE_URL, for a database without WordPress's options. */
export function createSiteSource(
  db: Conn,
  t: Tables,
  fallbackUrl: string | undefined,
  now = Date.now,
): SiteSource {
  let cached: { at: number; info: Promise<SiteInfo> } | undefined;
  const load = async (): Promise<SiteInfo> => {
    const o = await selectSiteOptions(db, t);
    const url = o.home || o.siteurl || fallbackUrl || '';
    let host = '';
    try {
      host = url ? new URL(url).host : '';
    } catch {
      host = '';
    }
    return {
      name: o.blogname ? decodeWpText(o.blogname) : host || 'WordPress',
      url,
      adminEmail: o.admin_email || null,
    };
  };
  return () => {
    const t0 = now();
    if (!cached || t0 - cached.at > ttlMs) {
      const info = load();
      cached = { at: t0, info };
      info.catch(() => {
        if (cached?.info === info) cached = undefined;
      });
    }
    return cached.info;
  };
}

const sources = new WeakMap<Deps, SiteSource>();

/** The site source of a running sidecar: one per set of deps, shared by the API and the worker. */
export function siteOf(deps: Pick<Deps, 'db' | 'tables' | 'config'>): SiteSource {
  let source = sources.get(deps as Deps);
  if (!source)
    sources.set(deps as Deps, (source = createSiteSource(deps.db, deps.tables, deps.config.siteUrl)));
  return source;
}

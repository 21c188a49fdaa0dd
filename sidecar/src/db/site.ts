/** SQL for what the sidecar reads of the site itself: WordPress's options (name, address, admin e-mail). */
import type { RowDataPacket } from 'mysql2';
import type { Conn, Tables } from './pool.ts';

export interface SiteOptions {
  blogname?: string;
  home?: string;
  siteurl?: string;
  admin_email?: string;
}

const names = ['blogname', 'home', 'siteurl', 'admin_email'] as const;

/** The site's options by name; empty when WordPress's table is not there (a sidecar on its own database). */
export async function selectSiteOptions(db: Conn, t: Tables): Promise<SiteOptions> {
  try {
    const [rows] = await db.query<RowDataPacket[]>(
      `SELECT option_name, option_value FROM ${t.options} WHERE option_name IN (?)`,
      [names],
    );
    return Object.fromEntries(
      rows.map((r) => [String(r.option_name), String(r.option_value)]),
    ) as SiteOptions;
  } catch (error) {
    if ((error as { errno?: number }).errno !== 1146) throw error; // ER_NO_SUCH_TABLE
    return {};
  }
}

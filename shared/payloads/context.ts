/** What a payload builder may ask of the sidecar: the acting user and WordPress user rows. */

/** A row of WordPress's users table (plus the first/last name user meta), as the sidecar reads it. */
export interface WpUserRow {
  ID: number;
  user_login: string;
  user_email: string;
  user_url: string;
  /** 'YYYY-MM-DD HH:MM:SS', as stored (UTC in WordPress). */
  user_registered: string;
  display_name: string;
  first_name?: string;
  last_name?: string;
}

export interface BuildContext {
  /** The WordPress user the action ran for (`get_current_user_id()`); 0 when nobody was logged in. */
  actorId: number;
  /** Looks a WordPress user up by id; null when there is none. */
  user(id: number): Promise<WpUserRow | null>;
}

/** What a message says about the site: its name and address, and whom mail goes to by default. */
export interface SiteInfo {
  /** WordPress's `blogname`. */
  readonly name: string;
  /** WordPress's `home`. */
  readonly url: string;
  /** WordPress's `admin_email`, the default sender and recipient of the `sendgrid` format. */
  readonly adminEmail: string | null;
}

/** Bounds of one recorded action call, enforced by the plugin when it writes the inbox and by the sidecar's drain. */
export const inboxLimits = {
  /**
   * Most bytes of an inbox row's arguments as JSON. Below the inbox writer's 1,000,000-byte statement (the smallest
   * max_allowed_packet of the servers WordPress supports is 1 MiB), so a row always fits an INSERT of its own, and
   * small enough that the drain's event, several times the arguments at worst, stays far from 16 MB (MariaDB's).
   */
  maxArgsBytes: 512 * 1024,
  /** Most arrays' and objects' entries in one call's arguments, counted at every depth. */
  maxElements: 10_000,
} as const;

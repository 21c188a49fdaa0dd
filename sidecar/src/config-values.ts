/** Checks and conversions of single configuration values; each problem is a ConfigError naming its variable. */
import { readFileSync } from 'node:fs';
import { parseAllowTargets } from './delivery/send/target-policy.ts';
import { secretProblem } from '../../shared/shared-secret.ts';
import { parseDbHost, type DbAddress } from './wp-config.ts';

export class ConfigError extends Error {}

/**
 * FCWH_SECRET, else wp-config.php's FCWH_SIDECAR_SECRET (the plugin's copy); both set must agree, since the
 * plugin sends the one in wp-config.php.
 */
export function sharedSecret(
  fromEnv: string | undefined,
  fromWp: string | undefined,
  wpConfig?: string,
): string {
  if (fromEnv === undefined && fromWp === undefined)
    throw new ConfigError(
      'FCWH_SECRET: not set (set it, or point --wp-config at a wp-config.php that defines FCWH_SIDECAR_SECRET)',
    );
  if (fromEnv !== undefined && fromWp !== undefined && fromEnv !== fromWp)
    throw new ConfigError(
      `FCWH_SECRET differs from FCWH_SIDECAR_SECRET in ${wpConfig}: the plugin would be refused; make them equal (or unset FCWH_SECRET)`,
    );
  const secret = (fromEnv ?? fromWp)!;
  const problem = secretProblem(secret);
  if (problem)
    throw new ConfigError(
      `${fromEnv !== undefined ? 'FCWH_SECRET' : `FCWH_SIDECAR_SECRET in ${wpConfig}`}: ${problem}`,
    );
  return secret;
}

/** WordPress's DB_HOST forms; a bare `localhost` means the Unix socket, as PHP's mysqli reads it. */
export function dbAddress(dbHost: string, defaultSocket: string): DbAddress {
  const address = parseDbHost(dbHost);
  if (address.host === 'localhost' && address.port === undefined && address.socketPath === undefined)
    return { host: 'localhost', socketPath: defaultSocket };
  return address;
}

/** Runs `check`; a ConfigError it throws becomes one more problem. */
export function collect<T>(problems: string[], check: () => T): T | undefined {
  try {
    return check();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(error.message);
    return undefined;
  }
}

export function readWpConfig(path: string): string {
  return readFile(path, 'FCWH_WP_CONFIG (--wp-config)');
}

export function readFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`${what}: cannot read ${path}: ${(error as Error).message}`);
  }
}

/** `127.0.0.1:8443, 10.0.0.0/8` → entries, checked now so that a typo stops the start (exit 78). */
export function allowTargets(spec: string): string[] {
  const entries = spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  try {
    parseAllowTargets(entries);
  } catch (error) {
    throw new ConfigError(`FCWH_ALLOW_TARGETS: ${(error as Error).message}`);
  }
  return entries;
}

/** `443,1024-65535` → [[443, 443], [1024, 65535]]. */
export function parsePortRanges(spec: string): [number, number][] {
  return spec
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [lo, hi = lo] = part.split('-').map((n) => Number(n.trim()));
      if (!Number.isInteger(lo) || !Number.isInteger(hi) || lo! < 1 || hi! > 65535 || lo! > hi!) {
        throw new ConfigError(`FCWH_ALLOWED_PORTS: "${part}" is not a port or a range like 1024-65535`);
      }
      return [lo!, hi!] as [number, number];
    });
}

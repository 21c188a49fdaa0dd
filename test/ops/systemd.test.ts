/**
 * The systemd unit and its environment file: systemd-analyze verify and security, the settings that matter, and
 * ExecStart run in an emulation of the unit's sandbox (no systemd runs here).
 */
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { buildSidecar } from '../../scripts/build-sidecar.ts';
import { freePort } from '../../scripts/stack/ports.ts';
import { spawnLogged } from '../../scripts/stack/process.ts';
import { repoRoot } from '../../scripts/stack/sidecar.ts';
import { phpValue, saltDefines } from '../../scripts/stack/wordpress-tree.ts';
import { envVariables, loadConfig } from '../../sidecar/src/config.ts';
import { useTestDatabase } from '../helpers/db.ts';
import { startProcessUntilHealthy } from './processes.ts';
import { parseEnvironmentFile, parseUnit, setting } from './unit-file.ts';

const run = promisify(execFile);
const unitFile = path.join(repoRoot, 'deploy/fluent-community-webhooks.service');
const envExample = path.join(repoRoot, 'deploy/fluent-community-webhooks.env.example');
const unit = parseUnit(unitFile);
const service = (key: string) => setting(unit, 'Service', key);
const scratch = path.join(inject('stack').runDir, `ops-systemd-${randomBytes(3).toString('hex')}`);
fs.mkdirSync(scratch, { recursive: true });

/** The unit as shipped, or a copy whose ExecStart names this machine's node when /usr/bin/node is absent. */
function unitForThisMachine(): string {
  const binary = service('ExecStart')!.split(/\s+/)[0]!;
  if (fs.existsSync(binary)) return unitFile;
  const copy = path.join(scratch, path.basename(unitFile));
  fs.writeFileSync(
    copy,
    fs.readFileSync(unitFile, 'utf8').replace(`ExecStart=${binary}`, `ExecStart=${process.execPath}`),
  );
  return copy;
}

describe('the systemd unit', () => {
  it('passes systemd-analyze verify without a single warning', async () => {
    const { stdout, stderr } = await run('systemd-analyze', ['verify', unitForThisMachine()]);
    expect(stdout + stderr).toBe('');
  });

  it('scores an exposure of at most 2.0 in systemd-analyze security', async () => {
    const { stdout } = await run('systemd-analyze', [
      'security',
      '--offline=true',
      '--threshold=20',
      '--no-pager',
      unitForThisMachine(),
    ]);
    const level = Number(/Overall exposure level for .*: (\d+\.\d+)/.exec(stdout)?.[1]);
    expect(level).toBeLessThanOrEqual(2.0);
  });

  it('restarts after a crash but not after a configuration error (exit 78)', () => {
    expect(service('Restart')).toBe('on-failure');
    expect(service('RestartPreventExitStatus')).toBe('78');
    expect(setting(unit, 'Unit', 'StartLimitBurst')).toBeDefined();
  });

  it('runs as a dynamic unprivileged user without capabilities, sandboxed', () => {
    expect(service('DynamicUser')).toBe('yes');
    expect(service('User')).toBeUndefined();
    expect(service('CapabilityBoundingSet')).toBe('');
    for (const key of [
      'NoNewPrivileges',
      'ProtectHome',
      'PrivateTmp',
      'PrivateDevices',
      'ProtectKernelTunables',
      'ProtectKernelModules',
      'ProtectKernelLogs',
      'ProtectControlGroups',
      'LockPersonality',
      'RestrictSUIDSGID',
      'RestrictNamespaces',
    ])
      expect({ key, value: service(key) }).toEqual({ key, value: 'yes' });
    expect(service('ProtectSystem')).toBe('strict');
    expect(service('RestrictAddressFamilies')).toBe('AF_UNIX AF_INET AF_INET6');
    expect(unit.Service!.SystemCallFilter).toContain('@system-service');
    expect(service('ReadOnlyPaths')?.split(/\s+/)).toEqual(
      expect.arrayContaining([service('WorkingDirectory'), path.dirname(wpConfigArg())]),
    );
  });

  it("gives a stop more time than the sidecar's own shutdown deadline (grace + 10 s)", () => {
    const config = loadConfig({
      FCWH_SECRET: randomBytes(36).toString('base64url'),
      FCWH_ENCRYPTION_KEY: randomBytes(36).toString('base64url'),
      FCWH_DB_HOST: 'h',
      FCWH_DB_NAME: 'n',
      FCWH_DB_USER: 'u',
    });
    const stopMs = Number(/^(\d+)s$/.exec(service('TimeoutStopSec')!)?.[1]) * 1000;
    expect(stopMs).toBeGreaterThan(config.shutdownGraceMs + 10_000);
  });

  it("leaves MemoryDenyWriteExecute off, which Node's JIT needs", () => {
    expect(service('MemoryDenyWriteExecute')).toBeUndefined();
  });

  it('reads its settings from an EnvironmentFile and wp-config.php from the command line', () => {
    expect(service('EnvironmentFile')).toBe('/etc/fluent-community-webhooks.env');
    expect(service('ExecStart')).toMatch(
      / --max-old-space-size=\d+ dist\/sidecar\.mjs --wp-config \/\S+\/wp-config\.php$/,
    );
  });
});

describe('the environment file example', () => {
  const example = parseEnvironmentFile(fs.readFileSync(envExample, 'utf8'));

  it('lists every variable the sidecar reads, and no other', () => {
    expect(Object.keys(example).sort()).toEqual([...envVariables].sort());
  });

  it('holds the defaults: loading it changes nothing once a secret and a database are given', () => {
    const required = {
      FCWH_SECRET: randomBytes(36).toString('base64url'),
      FCWH_ENCRYPTION_KEY: randomBytes(36).toString('base64url'),
      FCWH_DB_HOST: '127.0.0.1:3306',
      FCWH_DB_NAME: 'wordpress',
      FCWH_DB_USER: 'wordpress',
    };
    expect(loadConfig({ ...example, ...required })).toEqual(loadConfig(required));
  });

  it('is documented variable by variable in docs/CONFIGURATION.md', () => {
    const doc = fs.readFileSync(path.join(repoRoot, 'docs/CONFIGURATION.md'), 'utf8').split('\n## ')[1]!;
    expect(doc).toMatch(/^The sidecar\n/);
    const rows = new Set([...doc.matchAll(/^\| `(FCWH_[A-Z_]+)`/gm)].map((m) => m[1]));
    expect([...rows].sort()).toEqual([...envVariables].sort());
  });
});

/** The --wp-config argument of ExecStart. */
function wpConfigArg(): string {
  const args = service('ExecStart')!.split(/\s+/);
  return args[args.indexOf('--wp-config') + 1]!;
}

/** A shell word. */
const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Shell lines showing `source` read-only at `target` in this mount namespace only (tmpfs over the parent). */
function bindReadOnly(source: string, target: string): string[] {
  let base = path.dirname(target);
  while (!fs.existsSync(base)) base = path.dirname(base);
  return [
    `mount -t tmpfs -o mode=0755 tmpfs ${q(base)}`,
    `mkdir -p ${q(target)}`,
    `mount --bind ${q(source)} ${q(target)}`,
    `mount -o remount,bind,ro ${q(target)}`,
  ];
}

describe("ExecStart in an emulation of the unit's sandbox", () => {
  const db = useTestDatabase('ops_systemd');
  // ExecStart runs dist/sidecar.mjs, which an install builds (`npm run build:sidecar`): build it from this tree.
  beforeAll(() => buildSidecar());
  const secret = randomBytes(36).toString('base64url');
  const group = service('SupplementaryGroups')!;
  const gid = () => Number(execFileSync('getent', ['group', group], { encoding: 'utf8' }).split(':')[2]);

  /** A WordPress dir (0750) whose wp-config.php is 0640 root:<group>, as on a typical Debian/Ubuntu server. */
  function siteDir(): string {
    const { creds } = db();
    const site = fs.mkdtempSync(path.join(scratch, 'site-'));
    const file = path.join(site, 'wp-config.php');
    fs.writeFileSync(
      file,
      `<?php
define( 'DB_NAME', ${phpValue(creds.name)} );
define( 'DB_USER', ${phpValue(creds.user)} );
define( 'DB_PASSWORD', ${phpValue(creds.password)} );
define( 'DB_HOST', '127.0.0.1:${creds.port}' );
define( 'FCWH_SIDECAR_SECRET', ${phpValue(secret)} );
${saltDefines()}
$table_prefix = 'wp_';
`,
    );
    for (const [target, mode] of [
      [site, 0o750],
      [file, 0o640],
    ] as const) {
      fs.chownSync(target, 0, gid());
      fs.chmodSync(target, mode);
    }
    return site;
  }

  /**
   * `unshare -m` + mounts stand in for ProtectSystem/ReadOnlyPaths/PrivateTmp, setpriv for DynamicUser (uid 65534),
   * SupplementaryGroups, NoNewPrivileges and the empty capability sets; the env is the example file, edited.
   */
  async function launch(site: string, withGroup: boolean, port: number, logFile: string) {
    const workDir = service('WorkingDirectory')!;
    const exec = service('ExecStart')!.split(/\s+/);
    exec[0] = process.execPath;
    const script = [
      ...bindReadOnly(repoRoot, workDir),
      ...bindReadOnly(site, path.dirname(wpConfigArg())),
      'mount -t tmpfs -o mode=1777 tmpfs /tmp',
      `cd ${q(workDir)}`,
      [
        'exec setpriv --reuid=65534 --regid=65534',
        withGroup ? `--groups=${gid()}` : '--clear-groups',
        '--no-new-privs --inh-caps=-all --bounding-set=-all --',
        ...exec.map(q),
      ].join(' '),
    ].join('\n');
    const env = {
      PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      ...Object.fromEntries(unit.Service!.Environment!.map((e) => e.split('=', 2) as [string, string])),
      ...parseEnvironmentFile(fs.readFileSync(envExample, 'utf8')),
      FCWH_PORT: String(port),
    };
    return { script, env, logFile };
  }

  it('serves as uid 65534 with no privileges, reading wp-config.php through the supplementary group', async () => {
    if (process.getuid?.() !== 0) throw new Error('this test emulates systemd and must run as root');
    const port = await freePort();
    const { script, env, logFile } = await launch(siteDir(), true, port, path.join(scratch, 'sandbox.log'));
    const url = `http://127.0.0.1:${port}`;
    const sidecar = await startProcessUntilHealthy(
      'unshare',
      ['-m', '--propagation', 'private', 'sh', '-ec', script],
      {
        env,
        url,
        secret,
        logFile,
      },
    );
    try {
      expect(await (await sidecar.get('/readyz')).json()).toMatchObject({ status: 'ready' });
      const status = fs.readFileSync(`/proc/${sidecar.process.pid}/status`, 'utf8');
      expect(status).toMatch(/^Uid:\s+65534\s+65534\s+65534\s+65534$/m);
      expect(status).toMatch(new RegExp(`^Groups:\\s+${gid()}\\s*$`, 'm'));
      expect(status).toMatch(/^NoNewPrivs:\s+1$/m);
      expect(status).toMatch(/^CapEff:\s+0+$/m);
      expect(fs.readFileSync(`/proc/${sidecar.process.pid}/cmdline`, 'utf8')).toContain('--wp-config');
    } finally {
      await sidecar.process.stop();
    }
    expect(await sidecar.process.exited).toEqual({ code: 0, signal: null });
  });

  it('exits 78, naming wp-config.php, when the group that may read it is missing', async () => {
    if (process.getuid?.() !== 0) throw new Error('this test emulates systemd and must run as root');
    const { script, env, logFile } = await launch(
      siteDir(),
      false,
      await freePort(),
      path.join(scratch, 'nogroup.log'),
    );
    const child = spawnLogged('sidecar', 'unshare', ['-m', '--propagation', 'private', 'sh', '-ec', script], {
      cwd: repoRoot,
      env,
      logFile,
    });
    expect(await child.exited).toEqual({ code: 78, signal: null });
    expect(fs.readFileSync(logFile, 'utf8')).toContain(
      `FCWH_WP_CONFIG (--wp-config): cannot read ${wpConfigArg()}: EACCES: permission denied`,
    );
  });
});

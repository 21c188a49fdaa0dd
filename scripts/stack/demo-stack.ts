/** The demo's stack under .demo/: fixed ports (or the next free), data kept across down/up, stack.json written. */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createDatabase, startMariaDb } from './mariadb.ts';
import { pickPort } from './ports.ts';
import { spawnLogged, tailFile, type ManagedProcess } from './process.ts';
import { startReceiver } from './receiver.ts';
import { repoRoot, startSidecar } from './sidecar.ts';
import { ensureCertificates, readTls } from './tls.ts';
import { tcpOpen, waitFor } from './wait.ts';
import { startWordPress } from './wordpress.ts';
import { writePrivateFile } from './private-file.ts';

/** Everything of the demo lives here. */
export const demoDir = path.join(repoRoot, '.demo');
export const demoFiles = {
  stack: path.join(demoDir, 'stack.json'),
  pids: path.join(demoDir, 'pids.json'),
  secrets: path.join(demoDir, 'secrets.json'),
  received: path.join(demoDir, 'received.jsonl'),
};

/** Preferred ports; a busy one is replaced by the next free port and recorded in stack.json. */
export const demoPorts = { wordpress: 8089, sidecar: 8787, receiver: 9443, mariadb: 3307 } as const;

/** The contents of .demo/stack.json (exactly these keys). */
export interface DemoStackInfo {
  wp_url: string;
  rest_url: string;
  /** `password` logs in at wp-login.php (the admin screen); `app_password` is for REST clients such as curl. */
  admin: { user: string; app_password: string; password: string };
  member: { user: string; app_password: string };
  sidecar_url: string;
  receiver_url: string;
  db: {
    host: string;
    port: number;
    socket: string;
    name: string;
    user: string;
    password: string;
    table_prefix: string;
  };
}

/** One detached server: its pid and a command-line fragment that identifies it (so `down` never kills a reused pid). */
export type DemoPids = Record<
  'mariadb' | 'wordpress' | 'sidecar' | 'receiver',
  { pid: number; expect: string }
>;

export interface DemoStack {
  info: DemoStackInfo;
  pids: DemoPids;
  /** Plugin dirs installed besides the product plugin. */
  extraPlugins: string[];
  /** Stops every server (foreground `run`; after `up` use `down`). */
  stop(): Promise<void>;
}

/** Extra plugins: DEMO_EXTRA_PLUGINS (colon-separated dirs) plus test/wp-plugins/* unless DEMO_TEST_PLUGINS=0. */
export function demoExtraPlugins(env: NodeJS.ProcessEnv = process.env): string[] {
  const extra = (env.DEMO_EXTRA_PLUGINS ?? '')
    .split(':')
    .filter(Boolean)
    .map((dir) => path.resolve(dir));
  const testPlugins = path.join(repoRoot, 'test', 'wp-plugins');
  if (env.DEMO_TEST_PLUGINS !== '0' && fs.existsSync(testPlugins)) {
    for (const name of fs.readdirSync(testPlugins).sort()) extra.unshift(path.join(testPlugins, name));
  }
  return extra;
}

/**
 * Starts MariaDB, the HTTPS receiver, the sidecar and WordPress. `background`: servers are detached and outlive
 * this process (`up`); otherwise they are children stopped by `stop()` or at exit (`run`).
 */
export async function startDemoStack(background: boolean): Promise<DemoStack> {
  fs.mkdirSync(demoDir, { recursive: true });
  const secrets = loadSecrets();
  const started: { stop(): Promise<unknown> }[] = [];
  const stop = async () => {
    for (const item of started.splice(0).reverse()) await item.stop().catch(() => undefined);
  };
  try {
    // The receiver (a separate process after `up`) boots while MariaDB and WordPress start.
    const tls = await ensureCertificates(path.join(demoDir, 'tls'));
    const receiverPort = await pickPort(demoPorts.receiver);
    const receiver = background
      ? detachedReceiver(receiverPort)
      : await foregroundReceiver(receiverPort, tls);
    started.push(receiver);
    const mariadbPort = await pickPort(demoPorts.mariadb);
    const mariadb = await startMariaDb({ dir: path.join(demoDir, 'mariadb'), port: mariadbPort, background });
    started.push(mariadb);
    const db = await createDatabase(mariadb, 'fcwh_demo', { fresh: false, password: secrets.db_password });
    const sidecarPort = await pickPort(demoPorts.sidecar);
    const extraPlugins = demoExtraPlugins();
    let sidecar: Awaited<ReturnType<typeof startSidecar>> | undefined;
    const wp = await startWordPress({
      siteDir: path.join(demoDir, 'site'),
      db,
      port: await pickPort(demoPorts.wordpress),
      sidecarUrl: `http://127.0.0.1:${sidecarPort}`,
      sidecarSecret: secrets.sidecar_secret,
      saltSeed: secrets.db_password,
      extraPlugins,
      background,
      alongside: async ({ wpConfig, url }) => {
        sidecar = await startSidecar({
          port: sidecarPort,
          secret: secrets.sidecar_secret,
          wpConfig,
          siteUrl: url,
          allowTargets: [`127.0.0.1:${receiverPort}`],
          caFile: tls.caFile,
          logFile: path.join(demoDir, 'sidecar.log'),
          background,
        });
        started.push(sidecar);
      },
    });
    started.push(wp);
    if (!sidecar) throw new Error('sidecar did not start');
    // The installer's random login password, replaced by one the guide prints (kept in secrets.json).
    await wp.php(
      `wp_set_password( $fcwh_input, get_user_by( 'login', 'admin' )->ID ); echo 'ok';`,
      secrets.admin_password,
    );
    await waitFor('demo receiver', () => tcpOpen(receiverPort), {
      abort: () =>
        receiver.process?.exitInfo() ? `it exited; log:\n${tailFile(receiver.process.logFile)}` : undefined,
    });
    const info: DemoStackInfo = {
      wp_url: wp.url,
      rest_url: wp.rest_url,
      admin: {
        user: wp.users.admin.user,
        app_password: wp.users.admin.app_password,
        password: secrets.admin_password,
      },
      member: { user: wp.users.member.user, app_password: wp.users.member.app_password },
      sidecar_url: sidecar.url,
      receiver_url: `https://127.0.0.1:${receiverPort}`,
      db: { ...pick(db), table_prefix: wp.db.table_prefix },
    };
    // It holds the admin's and the member's application passwords.
    writePrivateFile(demoFiles.stack, JSON.stringify(info, null, 2) + '\n');
    const pids: DemoPids = {
      mariadb: { pid: mariadb.process.pid, expect: 'mariadbd' },
      wordpress: { pid: wp.process.pid, expect: 'php' },
      sidecar: { pid: sidecar.process.pid, expect: path.relative(repoRoot, sidecar.script) },
      receiver: { pid: receiver.pid, expect: 'demo.ts receiver' },
    };
    return { info, pids, extraPlugins, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function pick(db: {
  host: string;
  port: number;
  socket: string;
  name: string;
  user: string;
  password: string;
}) {
  return {
    host: db.host,
    port: db.port,
    socket: db.socket,
    name: db.name,
    user: db.user,
    password: db.password,
  };
}

/** The sidecar secret and DB password, made once and kept: secrets at rest are encrypted with the former. */
function loadSecrets(): { sidecar_secret: string; db_password: string; admin_password: string } {
  const saved = fs.existsSync(demoFiles.secrets)
    ? JSON.parse(fs.readFileSync(demoFiles.secrets, 'utf8'))
    : {};
  // A .demo/ from before the admin screen has no admin_password yet: it gets one.
  if (saved.sidecar_secret && saved.db_password && saved.admin_password) return saved;
  const secrets = {
    sidecar_secret: randomBytes(36).toString('base64url'),
    db_password: randomBytes(12).toString('hex'),
    admin_password: randomBytes(9).toString('base64url'),
    ...saved,
  };
  writePrivateFile(demoFiles.secrets, JSON.stringify(secrets, null, 2) + '\n');
  return secrets;
}

interface DemoReceiver {
  pid: number;
  process?: ManagedProcess;
  stop(): Promise<unknown>;
}

async function foregroundReceiver(
  port: number,
  files: Awaited<ReturnType<typeof ensureCertificates>>,
): Promise<DemoReceiver> {
  const receiver = await startReceiver({ tls: readTls(files), port, logFile: demoFiles.received });
  return { pid: process.pid, stop: () => receiver.close() };
}

/** `demo.ts receiver` as a detached process, logging requests to .demo/received.jsonl. */
function detachedReceiver(port: number): DemoReceiver {
  const child = spawnLogged(
    'receiver',
    process.execPath,
    ['--import', 'tsx', path.join(repoRoot, 'scripts', 'demo.ts'), 'receiver', String(port)],
    { cwd: repoRoot, logFile: path.join(demoDir, 'receiver.log'), background: true },
  );
  return { pid: child.pid, process: child, stop: () => child.stop() };
}

/**
 * The browser tests' stack, started once by global-setup.ts: MariaDB, WordPress (with the Fluent Community emulator)
 * on `php -S`, the sidecar and an HTTPS receiver that logs every request to a file the tests read.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createDatabase, startMariaDb } from '../../scripts/stack/mariadb.ts';
import { freePort } from '../../scripts/stack/ports.ts';
import { startReceiver, type ReceivedRequest } from '../../scripts/stack/receiver.ts';
import { repoRoot, startSidecar } from '../../scripts/stack/sidecar.ts';
import { ensureCertificates, readTls } from '../../scripts/stack/tls.ts';
import { prepareTemplate } from '../../scripts/stack/wordpress-tree.ts';
import { startWordPress } from '../../scripts/stack/wordpress.ts';
import { randomBytes } from 'node:crypto';

/** What the tests get (from the file named by FCWH_BROWSER_STACK). */
export interface BrowserStack {
  wpUrl: string;
  /** Login passwords at wp-login.php (not application passwords). */
  admin: { user: string; password: string; appPassword: string };
  member: { user: string; password: string };
  receiverUrl: string;
  /** JSON lines, one per request the receiver got. */
  receiverLog: string;
  /** The sidecar's process id: a test stops it to see the screen without its service. */
  sidecarPid: number;
  /** Where the sites' logs are, for post-mortems. */
  dir: string;
}

export const stackFile = () => {
  const file = process.env.FCWH_BROWSER_STACK;
  if (!file)
    throw new Error('FCWH_BROWSER_STACK is not set: run the browser tests with `npm run test:browser`');
  return file;
};

export function readStack(): BrowserStack {
  return JSON.parse(fs.readFileSync(stackFile(), 'utf8')) as BrowserStack;
}

/** Every request the receiver got so far. */
export function receivedRequests(stack: BrowserStack): ReceivedRequest[] {
  if (!fs.existsSync(stack.receiverLog)) return [];
  return fs
    .readFileSync(stack.receiverLog, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ReceivedRequest);
}

/** Starts everything under `<repo>/.test-stack/browser-<pid>/`; resolves with the stack and its stop(). */
export async function startBrowserStack(): Promise<{ stack: BrowserStack; stop(): Promise<void> }> {
  const dir = path.join(repoRoot, '.test-stack', `browser-${process.pid}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const started: { stop(): Promise<unknown> }[] = [];
  const stop = async () => {
    for (const item of started.splice(0).reverse()) await item.stop().catch(() => undefined);
  };
  try {
    const [mariadb, tlsFiles, template] = await Promise.all([
      startMariaDb({ dir: path.join(dir, 'mariadb') }),
      ensureCertificates(path.join(dir, 'tls')),
      prepareTemplate(path.join(dir, 'wordpress-template')),
    ]);
    started.push(mariadb);
    const db = await createDatabase(mariadb, 'fcwh_browser');
    const receiverLog = path.join(dir, 'received.jsonl');
    const receiver = await startReceiver({ tls: readTls(tlsFiles), logFile: receiverLog });
    started.push({ stop: () => receiver.close() });
    const secret = randomBytes(36).toString('base64url');
    const sidecarPort = await freePort();
    let sidecarPid = 0;
    const testPlugins = path.join(repoRoot, 'test', 'wp-plugins', 'fcwh-fc-emulator');
    const wp = await startWordPress({
      siteDir: path.join(dir, 'site'),
      templateDir: template,
      db,
      sidecarUrl: `http://127.0.0.1:${sidecarPort}`,
      sidecarSecret: secret,
      extraPlugins: [testPlugins],
      constants: { FCWH_TEST_FIXTURES_DIR: path.join(repoRoot, 'test', 'fixtures', 'hook-args') },
      alongside: async ({ wpConfig, url }) => {
        const sidecar = await startSidecar({
          port: sidecarPort,
          secret,
          wpConfig,
          siteUrl: url,
          allowTargets: [`127.0.0.1:${receiver.port}`],
          caFile: tlsFiles.caFile,
          retrySchedule: [1, 2],
          logFile: path.join(dir, 'sidecar.log'),
        });
        started.push(sidecar);
        sidecarPid = sidecar.process.pid;
      },
    });
    started.push(wp);
    // People log in with passwords; the installer gave every user a random one.
    const passwords = { admin: randomBytes(12).toString('hex'), member: randomBytes(12).toString('hex') };
    await wp.php(
      `foreach ( $fcwh_input as $login => $pass ) { wp_set_password( $pass, get_user_by( 'login', $login )->ID ); } echo 'ok';`,
      { [wp.users.admin.user]: passwords.admin, [wp.users.member.user]: passwords.member },
    );
    // A space for the filter tests to list: the answer names the spaces that exist (filter_spaces).
    await wp.php(
      `global $wpdb; $wpdb->replace( "{$wpdb->prefix}fcom_spaces", array( 'id' => 8, 'created_by' => 1, 'title' => 'Announcements', 'slug' => 'announcements', 'type' => 'community', 'privacy' => 'public', 'status' => 'published' ) ); echo 'ok';`,
      {},
    );
    const stack: BrowserStack = {
      wpUrl: wp.url,
      admin: {
        user: wp.users.admin.user,
        password: passwords.admin,
        appPassword: wp.users.admin.app_password,
      },
      member: { user: wp.users.member.user, password: passwords.member },
      receiverUrl: receiver.url,
      receiverLog,
      sidecarPid,
      dir,
    };
    return { stack, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

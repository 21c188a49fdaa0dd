/** The demo: `run` (foreground), `up` (background), `down`, `reset`; data under .demo/ survives down/up. */
import fs from 'node:fs';
import path from 'node:path';
import {
  demoDir,
  demoExtraPlugins,
  demoFiles,
  startDemoStack,
  type DemoPids,
  type DemoStackInfo,
} from './stack/demo-stack.ts';
import { demoGuide } from './stack/demo-guide.ts';
import { isAlive, stopPid } from './stack/process.ts';
import { startReceiver } from './stack/receiver.ts';
import { readTls, tlsFiles } from './stack/tls.ts';

const usage = `usage: tsx scripts/demo.ts run|up|down|reset
  run    start everything in the foreground; Ctrl-C stops it
  up     start everything in the background; returns once all answers (pids in .demo/pids.json)
  down   stop what \`up\` started (data stays in .demo/)
  reset  down, then delete .demo/
env: DEMO_EXTRA_PLUGINS=dir1:dir2 adds plugins; DEMO_TEST_PLUGINS=0 leaves out test/wp-plugins/*`;

function readPids(): DemoPids | undefined {
  if (!fs.existsSync(demoFiles.pids)) return undefined;
  return JSON.parse(fs.readFileSync(demoFiles.pids, 'utf8')) as DemoPids;
}

/** Whether an earlier `up` still runs (every recorded server alive). */
function upAlready(): boolean {
  const pids = readPids();
  return !!pids && Object.values(pids).every(({ pid }) => isAlive(pid));
}

async function run(): Promise<void> {
  if (upAlready()) throw new Error('the demo is already up in the background; `npm run demo:down` first');
  const stack = await startDemoStack(false);
  console.log(demoGuide(stack.info, stack.extraPlugins));
  console.log('Ctrl-C stops everything.');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  console.log('\nstopping...');
  await stack.stop();
}

async function up(): Promise<void> {
  if (upAlready()) {
    console.log('already up.');
  } else {
    await down(true);
    const stack = await startDemoStack(true);
    fs.writeFileSync(demoFiles.pids, JSON.stringify(stack.pids, null, 2) + '\n');
  }
  const info = JSON.parse(fs.readFileSync(demoFiles.stack, 'utf8')) as DemoStackInfo;
  console.log(demoGuide(info, demoExtraPlugins()));
  console.log('`npm run demo:down` stops it.');
}

/** Stops the servers of `pids.json` in dependency order: WordPress, sidecar, receiver, then MariaDB. */
async function down(quiet = false): Promise<void> {
  const pids = readPids();
  if (!pids) {
    if (!quiet) console.log('nothing to stop.');
    return;
  }
  for (const name of ['wordpress', 'sidecar', 'receiver', 'mariadb'] as const) {
    const { pid, expect } = pids[name];
    const stopped = await stopPid(pid, expect, 'SIGTERM', name === 'mariadb' ? 60_000 : 10_000);
    if (!quiet) console.log(`${name}: ${stopped ? `stopped (pid ${pid})` : 'was not running'}`);
  }
  fs.rmSync(demoFiles.pids, { force: true });
}

async function reset(): Promise<void> {
  await down();
  fs.rmSync(demoDir, { recursive: true, force: true });
  console.log(`removed ${path.relative(process.cwd(), demoDir) || demoDir}`);
}

/** The standalone HTTPS receiver `up` detaches: answers 200 "ok", appends to .demo/received.jsonl. */
async function receiver(port: number): Promise<void> {
  const server = await startReceiver({
    tls: readTls(tlsFiles(path.join(demoDir, 'tls'))),
    port,
    logFile: demoFiles.received,
  });
  console.log(`receiver listening on ${server.url}`);
  const close = () => void server.close().then(() => process.exit(0));
  process.once('SIGTERM', close);
  process.once('SIGINT', close);
}

const [command, arg] = process.argv.slice(2);
const commands: Record<string, () => Promise<void>> = {
  run,
  up,
  down: () => down(),
  reset,
  receiver: () => receiver(Number(arg)),
};
const action = command ? commands[command] : undefined;
if (!action) {
  console.error(usage);
  process.exit(2);
}
action().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

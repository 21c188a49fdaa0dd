/** Child processes of the stack: spawned in their own process group, logged to a file, stopped gracefully. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A running child; its whole process group is signalled (php -S forks workers). */
export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  /** File receiving the child's stdout and stderr. */
  readonly logFile: string;
  /** Resolves when the child exits. */
  readonly exited: Promise<ExitInfo>;
  /** The exit, once it happened. */
  exitInfo(): ExitInfo | undefined;
  /** Sends `signal` (default SIGTERM), waits up to `timeoutMs` (default 10 000 ms), then SIGKILLs the group. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<void>;
}

export interface SpawnOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** stdout+stderr are appended here. */
  logFile: string;
  /** Survive this process (demo `up`): no kill at exit, no reference keeping the event loop alive. */
  background?: boolean;
}

const live = new Set<number>();
let exitHookInstalled = false;

/** Kills every still-running foreground child when this process exits, so no server outlives a test run. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const pid of live) signalGroup(pid, 'SIGKILL');
  });
}

/** Spawns `command args` detached in a new process group, stdout/stderr appended to `logFile`. */
export function spawnLogged(
  name: string,
  command: string,
  args: string[],
  options: SpawnOptions,
): ManagedProcess {
  fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
  const fd = fs.openSync(options.logFile, 'a');
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', fd, fd],
    detached: true,
  });
  fs.closeSync(fd);
  if (child.pid === undefined) throw new Error(`${name}: could not spawn ${command}`);
  const pid = child.pid;
  let info: ExitInfo | undefined;
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('error', () => resolve((info = { code: -1, signal: null })));
    child.once('exit', (code, signal) => resolve((info = { code, signal })));
  });
  void exited.then(() => live.delete(pid));
  if (options.background) child.unref();
  else {
    installExitHook();
    live.add(pid);
  }
  return {
    name,
    pid,
    logFile: options.logFile,
    exited,
    exitInfo: () => info,
    async stop(signal = 'SIGTERM', timeoutMs = 10_000) {
      if (info) return;
      signalGroup(pid, signal);
      let timer: NodeJS.Timeout | undefined;
      const done = await Promise.race([
        exited.then(() => true),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
      ]);
      clearTimeout(timer);
      if (!done) {
        signalGroup(pid, 'SIGKILL');
        await exited;
      }
      // The leader is gone; workers of the group may linger a moment.
      signalGroup(pid, 'SIGKILL');
    },
  };
}

/** Signals the process group led by `pid` (all our children lead their own); false when none exists. */
export function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** True when `pid` runs and is not a zombie (an unreaped zombie of a vanished parent counts as gone). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/** The command line of `pid` joined by spaces ("" when unknown). */
export function commandLine(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

/**
 * Stops a process spawned by an earlier run (demo `down`): `signal` to its group, up to `timeoutMs`
 * (default 10 000 ms), then SIGKILL. Resolves false when it was not running or its command line lacks
 * `expect` (the pid was reused by something else, which we must not touch).
 */
export async function stopPid(
  pid: number,
  expect: string,
  signal: NodeJS.Signals = 'SIGTERM',
  timeoutMs = 10_000,
): Promise<boolean> {
  if (!isAlive(pid) || !commandLine(pid).includes(expect)) return false;
  signalGroup(pid, signal);
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  signalGroup(pid, 'SIGKILL');
  return true;
}

/** The last `lines` lines of a log file, for error messages ("" when it does not exist). */
export function tailFile(file: string, lines = 20): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

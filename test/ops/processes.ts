/** Real sidecar processes for operations tests: run to exit, run until healthy, and a TCP proxy to cut the DB. */
import { execFile } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { repoRoot } from '../../scripts/stack/sidecar.ts';
import { spawnLogged, tailFile, type ManagedProcess } from '../../scripts/stack/process.ts';
import { httpStatus, waitFor } from '../../scripts/stack/wait.ts';

export const sidecarMain = path.join(repoRoot, 'sidecar/src/main.ts');

/** The environment without any FCWH_* variable of the test runner's. */
export function cleanEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('FCWH_')));
  return { ...base, ...env };
}

export interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node --import tsx sidecar/src/main.ts ...args` to its exit (it must exit within `timeoutMs`). */
export function runSidecarToExit(
  args: string[],
  env: Record<string, string>,
  timeoutMs = 20_000,
): Promise<Exit> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', sidecarMain, ...args],
      { cwd: repoRoot, env: cleanEnv(env), timeout: timeoutMs, killSignal: 'SIGKILL' },
      (error, stdout, stderr) => {
        const code = error ? ((error as { code?: unknown }).code as number | null) : 0;
        resolve({ code: typeof code === 'number' ? code : null, stdout, stderr });
      },
    );
  });
}

export interface RunningSidecar {
  url: string;
  process: ManagedProcess;
  logFile: string;
  /** GET with the shared secret as Bearer token. */
  get(pathname: string): Promise<Response>;
}

/** Spawns `command args` (a sidecar) and resolves once `url/healthz` answers 200. */
export async function startProcessUntilHealthy(
  command: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; url: string; secret: string; logFile: string; cwd?: string },
): Promise<RunningSidecar> {
  const child = spawnLogged('sidecar', command, args, {
    cwd: options.cwd ?? repoRoot,
    env: options.env,
    logFile: options.logFile,
  });
  await waitFor(
    `sidecar at ${options.url}`,
    async () => (await httpStatus(`${options.url}/healthz`)) === 200,
    {
      timeoutMs: 30_000,
      abort: () =>
        child.exitInfo()
          ? `it exited (${JSON.stringify(child.exitInfo())}); log:\n${tailFile(options.logFile)}`
          : undefined,
    },
  ).catch(async (error: unknown) => {
    await child.stop('SIGKILL');
    throw error;
  });
  return {
    url: options.url,
    process: child,
    logFile: options.logFile,
    get: (pathname) =>
      fetch(`${options.url}${pathname}`, { headers: { authorization: `Bearer ${options.secret}` } }),
  };
}

/** A TCP proxy to `target`: `cut()` refuses and drops every connection, `restore()` listens again. */
export interface TcpProxy {
  readonly port: number;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
  });
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port, host: '127.0.0.1' }, () => {
        server.off('error', reject);
        resolve((server.address() as net.AddressInfo).port);
      });
    });
  const port = await listen(0);
  const cut = async () => {
    if (!server.listening) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
  };
  return {
    port,
    cut,
    restore: async () => {
      if (!server.listening) await listen(port);
    },
    close: cut,
  };
}

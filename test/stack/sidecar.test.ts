/** Spawning, configuring, stopping and restarting the sidecar process (against a stand-in script). */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { isAlive } from '../../scripts/stack/process.ts';
import { startSidecar, type SidecarOptions } from '../../scripts/stack/sidecar.ts';

const fake = path.resolve(import.meta.dirname, '../helpers/fake-sidecar.ts');
const logFile = path.join(inject('stack').runDir, `fake-sidecar-${process.pid}.log`);
const options: SidecarOptions = {
  entry: fake,
  secret: 's'.repeat(40),
  logFile,
  allowTargets: ['127.0.0.1:9443', '10.0.0.0/8'],
  caFile: '/tmp/ca.pem',
  retrySchedule: [0.1, 0.5],
  env: { FCWH_LOG_LEVEL: 'debug' },
};

const envOf = async (url: string) =>
  (await (await fetch(`${url}/env`)).json()) as { pid: number; env: Record<string, string> };

describe('startSidecar', () => {
  it('waits for /healthz and passes the contract environment', async () => {
    const sidecar = await startSidecar(options);
    try {
      const { env } = await envOf(sidecar.url);
      expect(env).toMatchObject({
        FCWH_SECRET: 's'.repeat(40),
        FCWH_PORT: String(sidecar.port),
        FCWH_LISTEN_HOST: '127.0.0.1',
        FCWH_ALLOW_TARGETS: '127.0.0.1:9443,10.0.0.0/8',
        FCWH_CA_FILE: '/tmp/ca.pem',
        FCWH_RETRY_SCHEDULE: '0.1,0.5',
        FCWH_LOG_LEVEL: 'debug',
      });
      expect(sidecar.authorization).toBe(`Bearer ${'s'.repeat(40)}`);
    } finally {
      await sidecar.stop();
    }
  });

  it('stops with SIGTERM, logs to its file and leaves no process', async () => {
    const sidecar = await startSidecar(options);
    const exit = await sidecar.stop();
    expect(exit).toEqual({ code: 0, signal: null });
    expect(isAlive(sidecar.process.pid)).toBe(false);
    expect(fs.readFileSync(logFile, 'utf8')).toContain('"msg":"stopping"');
  });

  it('restarts on the same port after a SIGKILL', async () => {
    const sidecar = await startSidecar(options);
    try {
      const before = await envOf(sidecar.url);
      expect(await sidecar.kill9()).toEqual({ code: null, signal: 'SIGKILL' });
      await expect(fetch(`${sidecar.url}/healthz`)).rejects.toThrow();
      await sidecar.restart();
      const after = await envOf(sidecar.url);
      expect(after.pid).not.toBe(before.pid);
      expect(after.env.FCWH_PORT).toBe(String(sidecar.port));
    } finally {
      await sidecar.stop();
    }
  });

  it('fails loudly with the log when the process exits before answering', async () => {
    const failing = startSidecar({ ...options, env: { FAKE_SIDECAR_FAIL: '1' } });
    await expect(failing).rejects.toThrow(/exited.*\n[\s\S]*refusing to start/);
  });
});

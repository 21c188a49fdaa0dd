/**
 * The bundle the service runs (`npm run build:sidecar` → dist/sidecar.mjs + dist/migrations/) starts under plain
 * node with the heap cap, migrates the database from the migrations beside it, and serves.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { commandLine } from '../../scripts/stack/process.ts';
import { sidecarHeapMb, startSidecar } from '../../scripts/stack/sidecar.ts';
import { useTestDatabase } from '../helpers/db.ts';

const database = useTestDatabase('bundle');

describe('the bundled sidecar', () => {
  it('runs dist/sidecar.mjs without tsx, with the heap cap, and answers /healthz and /readyz', async () => {
    const { creds, pool } = database();
    const runDir = inject('stack').runDir;
    // Inside the repository (.test-stack/), so that the bundle's imports resolve in node_modules.
    const bundleDir = fs.mkdtempSync(path.join(runDir, 'bundle-'));
    const sidecar = await startSidecar({
      run: 'bundle',
      bundleDir,
      secret: randomBytes(36).toString('base64url'),
      db: { ...creds, table_prefix: 'wp_' },
      logFile: path.join(runDir, `bundle-sidecar-${process.pid}.log`),
      timeoutMs: 60_000,
    });
    try {
      expect(sidecar.script).toBe(path.join(bundleDir, 'sidecar.mjs'));
      const args = commandLine(sidecar.process.pid).split(' ');
      expect(args).toContain(`--max-old-space-size=${sidecarHeapMb}`);
      expect(args).toContain(sidecar.script);
      expect(args.filter((a) => a.includes('tsx'))).toEqual([]);
      expect(await (await fetch(`${sidecar.url}/healthz`)).json()).toEqual({ status: 'ok' });
      const ready = await fetch(`${sidecar.url}/readyz`, {
        headers: { authorization: sidecar.authorization },
      });
      expect(await ready.json()).toMatchObject({
        status: 'ready',
        checks: { database: true, migrations: true },
      });
      const [rows] = await pool.query('SELECT version FROM wp_fcwh_migrations ORDER BY version');
      const shipped = fs.readdirSync(path.join(bundleDir, 'migrations')).map((f) => Number(f.slice(0, 3)));
      expect((rows as { version: number }[]).map((r) => r.version)).toEqual(shipped);
      expect(shipped.length).toBeGreaterThanOrEqual(3);
    } finally {
      await sidecar.stop();
      fs.rmSync(bundleDir, { recursive: true, force: true });
    }
  });
});

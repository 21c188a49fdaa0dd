/**
 * Three projects: fast `unit` tests (some on the run's MariaDB), slow `e2e` tests on full stacks, and `faults`:
 * fault injection (kill -9, database restarts, outages) against sidecar processes.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Runs once per run (root project): one MariaDB, the test CA and a WordPress template for every file.
    globalSetup: ['test/helpers/global-setup.ts'],
    // Two cores: two files at a time (each e2e file runs MariaDB clients, php -S workers and a sidecar).
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          // test/sidecar, test/shared, test/stack, test/security, any future dir but e2e and faults: none goes unrun.
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**', 'test/faults/**', 'test/ops/**', '**/node_modules/**'],
          testTimeout: 15_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          // test/ops: deployment and operations (systemd unit, plugin zip, health, logs, real processes).
          include: ['test/e2e/**/*.test.ts', 'test/ops/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'faults',
          include: ['test/faults/**/*.test.ts'],
          testTimeout: 90_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});

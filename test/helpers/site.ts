/** A full stack per e2e test file: WordPress + sidecar on the file's own database + an HTTPS receiver. */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import { freePort } from '../../scripts/stack/ports.ts';
import { startReceiver, type Receiver } from '../../scripts/stack/receiver.ts';
import { startSidecar, type Sidecar, type SidecarOptions } from '../../scripts/stack/sidecar.ts';
import { readTls } from '../../scripts/stack/tls.ts';
import { startWordPress, type WordPressOptions, type WordPressSite } from '../../scripts/stack/wordpress.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';
import { perFile } from './per-file.ts';

/** test/wp-plugins/*: plugins for tests only (the Fluent Community emulator). */
export const testPluginsDir = path.resolve(import.meta.dirname, '../wp-plugins');

export interface TestSiteOptions {
  /** Names the database and the site dir. */
  label?: string;
  /** Start the sidecar (default true). */
  sidecar?: boolean;
  /** More sidecar options (retry schedule, env, log level...). */
  sidecarOptions?: Partial<Omit<SidecarOptions, 'logFile' | 'secret'>>;
  /** Install every plugin under test/wp-plugins/ (default true when it exists). */
  testPlugins?: boolean;
  /** WordPress options passed through (extraPlugins, muPlugins, activateProduct, constants, wpCron). */
  wordpress?: Partial<
    Pick<
      WordPressOptions,
      'extraPlugins' | 'muPlugins' | 'activateProduct' | 'productPlugin' | 'constants' | 'wpCron' | 'network'
    >
  >;
  /** The sidecar's loopback address (default 127.0.0.1), in FCWH_SIDECAR_URL too. */
  sidecarHost?: string;
  /** Also serve the receiver on plain HTTP (`receiver.httpUrl`). */
  httpReceiver?: boolean;
}

export interface TestSite {
  wp: WordPressSite;
  /** Throws when the site was started with `sidecar: false`. */
  sidecar: Sidecar;
  receiver: Receiver;
  db: TestDatabase;
  /** The test CA (PEM) the receiver's certificate chains to; trust it in test clients. */
  ca: string;
  /** Holds the site, its logs and the sidecar log. */
  dir: string;
  /** Stops every server of this site and ends the pool. */
  stop(): Promise<void>;
}

/** Starts the whole stack; on any failure stops what did start and rethrows (tests fail loudly, never skip). */
export async function startTestSite(options: TestSiteOptions = {}): Promise<TestSite> {
  const stack = inject('stack');
  const label = options.label ?? 'site';
  const dir = path.join(stack.runDir, 'sites', `${label}-${randomBytes(3).toString('hex')}`);
  const tls = readTls(stack.tls);
  const secret = randomBytes(36).toString('base64url');
  const started: { stop(): Promise<unknown> }[] = [];
  try {
    const db = await createTestDatabase(label);
    started.push({ stop: () => db.close() });
    const receiver = await startReceiver({ tls, httpPort: options.httpReceiver ? 0 : undefined });
    started.push({ stop: () => receiver.close() });
    const allowTargets = [receiver.port, ...(receiver.httpUrl ? [new URL(receiver.httpUrl).port] : [])];
    let sidecarStart: Promise<Sidecar> | undefined;
    const sidecarPort = await freePort();
    const wp = await startWordPress({
      ...options.wordpress,
      siteDir: path.join(dir, 'site'),
      templateDir: stack.wordpressTemplate,
      db: db.creds,
      sidecarUrl: `http://${options.sidecarHost ?? '127.0.0.1'}:${sidecarPort}`,
      sidecarSecret: secret,
      extraPlugins: [...testPlugins(options.testPlugins), ...(options.wordpress?.extraPlugins ?? [])],
      alongside: ({ wpConfig, url }) => {
        if (options.sidecar === false) return Promise.resolve();
        sidecarStart = startSidecar({
          allowTargets: allowTargets.map((port) => `127.0.0.1:${port}`),
          siteUrl: url,
          caFile: stack.tls.caFile,
          ...options.sidecarOptions,
          port: sidecarPort,
          ...(options.sidecarHost ? { host: options.sidecarHost } : {}),
          secret,
          wpConfig,
          logFile: path.join(dir, 'sidecar.log'),
        });
        sidecarStart.then(
          (s) => started.push(s),
          () => undefined,
        );
        return sidecarStart;
      },
    }).catch(async (error: unknown) => {
      await sidecarStart?.catch(() => undefined);
      throw error;
    });
    started.push(wp);
    const sidecar = sidecarStart ? await sidecarStart : undefined;
    return {
      wp,
      get sidecar(): Sidecar {
        if (!sidecar) throw new Error('this test site was started without a sidecar');
        return sidecar;
      },
      receiver,
      db,
      ca: tls.ca,
      dir,
      stop: () => stopAll(started),
    };
  } catch (error) {
    await stopAll(started);
    throw error;
  }
}

/** Registers beforeAll/afterAll with a started site; read it with the returned getter inside tests. */
export function useTestSite(options: TestSiteOptions = {}): () => TestSite {
  return perFile(
    'the test site',
    () => startTestSite(options),
    (site) => site.stop(),
  );
}

function testPlugins(wanted: boolean | undefined): string[] {
  if (wanted === false || !fs.existsSync(testPluginsDir)) return [];
  return fs
    .readdirSync(testPluginsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() || entry.name.endsWith('.php'))
    .map((entry) => path.join(testPluginsDir, entry.name))
    .sort();
}

/** Stops in reverse start order (WordPress before the sidecar before the database); every stop runs. */
async function stopAll(started: { stop(): Promise<unknown> }[]): Promise<void> {
  let failure: unknown;
  for (const item of started.splice(0).reverse()) {
    await item.stop().catch((error: unknown) => (failure ??= error));
  }
  if (failure) throw failure;
}

/** What vitest's globalSetup hands every test file: where the run's MariaDB, CA and WordPress template are. */
import type { MariaDbAddress } from '../../scripts/stack/mariadb.ts';
import type { TlsFiles } from '../../scripts/stack/tls.ts';

export interface TestStackInfo {
  /** This run's scratch dir, `.test-stack/run-<pid>` (kept after the run for its logs). */
  runDir: string;
  mariadb: MariaDbAddress;
  tls: TlsFiles;
  /** Made by prepareTemplate; sites hard-link it. */
  wordpressTemplate: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    stack: TestStackInfo;
  }
}

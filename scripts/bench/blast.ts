/** Runs blast-child.ts (the bare undici baseline) and returns its request rate. */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface BlastOptions {
  url: string;
  concurrency: number;
  seconds: number;
  body: string;
  headers: Record<string, string>;
  caFile?: string;
  scratchDir: string;
}

/** Requests per second of a bare undici client (after a one-second warm-up). */
export async function bareUndiciRate(
  options: BlastOptions,
): Promise<{ rate: number; errors: number; cpuMsPerRequest: number }> {
  const bodyFile = path.join(options.scratchDir, 'blast-body.json');
  fs.writeFileSync(bodyFile, options.body);
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', path.join(import.meta.dirname, 'blast-child.ts')],
    {
      env: {
        ...process.env,
        BLAST_URL: options.url,
        BLAST_CONCURRENCY: String(options.concurrency),
        BLAST_SECONDS: String(options.seconds),
        BLAST_BODY_FILE: bodyFile,
        BLAST_HEADERS: JSON.stringify(options.headers),
        ...(options.caFile ? { NODE_EXTRA_CA_CERTS: options.caFile } : {}),
      },
      timeout: (options.seconds + 30) * 1000,
    },
  );
  const result = JSON.parse(stdout.trim().split('\n').pop()!) as {
    requests: number;
    seconds: number;
    errors: number;
    cpuMsPerRequest: number;
  };
  return {
    rate: result.requests / result.seconds,
    errors: result.errors,
    cpuMsPerRequest: result.cpuMsPerRequest,
  };
}

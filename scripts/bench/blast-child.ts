/**
 * The bare-client baseline for P2, run as its own process: undici `request` POSTing the same body and headers to the
 * same receiver at the same concurrency, for a fixed time. Prints one JSON line: {"requests", "seconds", "errors"}.
 */
import fs from 'node:fs';
import { Agent, request } from 'undici';

const url = process.env.BLAST_URL!;
const concurrency = Number(process.env.BLAST_CONCURRENCY ?? 64);
const seconds = Number(process.env.BLAST_SECONDS ?? 5);
const body = fs.readFileSync(process.env.BLAST_BODY_FILE!, 'utf8');
const headers = JSON.parse(process.env.BLAST_HEADERS ?? '{}') as Record<string, string>;

// Same agent settings as the sidecar's agent for allowlisted targets (no per-origin connection cap); the local CA
// comes from NODE_EXTRA_CA_CERTS, as for the sidecar.
const agent = new Agent();
let requests = 0;
let errors = 0;
const warmupEnd = performance.now() + Number(process.env.BLAST_WARMUP_MS ?? 2000);
let started = 0;
let cpuAtStart = process.cpuUsage();
let end = 0;

async function lane(): Promise<void> {
  for (;;) {
    const now = performance.now();
    if (end && now >= end) return;
    try {
      const res = await request(url, { method: 'POST', headers, body, dispatcher: agent });
      await res.body.text();
      if (res.statusCode !== 200) errors++;
    } catch {
      errors++;
    }
    if (performance.now() >= warmupEnd) {
      if (!started) {
        cpuAtStart = process.cpuUsage();
        started = performance.now();
        end = started + seconds * 1000;
      } else requests++;
    }
  }
}

await Promise.all(Array.from({ length: concurrency }, lane));
const cpu = process.cpuUsage(cpuAtStart);
console.log(
  JSON.stringify({
    requests,
    seconds: (performance.now() - started) / 1000,
    errors,
    cpuMsPerRequest: (cpu.user + cpu.system) / 1000 / requests,
  }),
);
await agent.close();

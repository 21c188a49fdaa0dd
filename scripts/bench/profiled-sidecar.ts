/**
 * `--profile`: runs the sidecar (sidecar/src/main.ts) under V8's sampling profiler and writes a .cpuprofile into
 * BENCH_PROFILE_DIR when it exits (`--cpu-prof` is not allowed in NODE_OPTIONS, and the sidecar is started by path).
 */
import fs from 'node:fs';
import { Session } from 'node:inspector';
import path from 'node:path';

const dir = process.env.BENCH_PROFILE_DIR ?? '.';
const session = new Session();
session.connect();
session.post('Profiler.enable');
session.post('Profiler.setSamplingInterval', { interval: 500 });
session.post('Profiler.start');
// Inspector calls in the same thread answer synchronously, so the profile is written even inside 'exit'.
process.on('exit', () => {
  session.post('Profiler.stop', (error, result) => {
    if (error) return;
    fs.writeFileSync(path.join(dir, `sidecar-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
  });
});
await import('../../sidecar/src/main.ts');

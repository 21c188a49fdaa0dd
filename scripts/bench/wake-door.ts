/**
 * `node --import tsx scripts/bench/wake-door.ts [requests]`: the CPU one plugin wake-up (`POST /events/wake`)
 * costs the sidecar's process, answered by the Node listener in front of Hono (production) or by Hono's app
 * (the same route, the same gate), each over keep-alive sockets from a client in the same process. It is why
 * the wake-up keeps its own listener: the plugin sends one per PHP request that wrote inbox rows.
 */
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { Pool } from 'undici';
import { createApp } from '../../sidecar/src/app.ts';
import type { Deps } from '../../sidecar/src/deps.ts';
import { createSidecarServer } from '../../sidecar/src/http/server.ts';
import { createLogger } from '../../sidecar/src/log.ts';

const requests = Number(process.argv[2] ?? 20_000);
const secret = 'x'.repeat(40);
let wakes = 0;
const deps = {
  config: { secret, maxBodyBytes: 1 << 20 },
  log: createLogger('error'),
  wake: () => void wakes++,
} as never as Deps;
const app = createApp(deps);

async function measure(name: string, server: ReturnType<typeof createServer>): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const pool = new Pool(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, { connections: 16 });
  const send = () =>
    pool
      .request({
        method: 'POST',
        path: '/events/wake',
        headers: { authorization: `Bearer ${secret}` },
        body: '',
      })
      .then((r) => r.body.dump());
  for (let i = 0; i < 2000; i++) await send(); // warm-up
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < requests; i += 16) await Promise.all(Array.from({ length: 16 }, send));
  const used = process.cpuUsage(cpu);
  const us = (used.user + used.system) / requests;
  console.log(
    `${name}: ${us.toFixed(1)} µs CPU per wake-up (client included), ${Math.round(requests / ((performance.now() - t0) / 1000))}/s`,
  );
  await pool.close();
  await new Promise((resolve) => server.close(resolve));
  return us;
}

for (let round = 0; round < 3; round++) {
  await measure('node listener', createSidecarServer(deps, app));
  await measure('hono app     ', createServer(getRequestListener(app.fetch)));
}
if (wakes === 0) throw new Error('no wake-up reached the worker');

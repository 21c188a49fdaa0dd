/** A stand-in for sidecar/src/main.ts in tests of scripts/stack/sidecar.ts: /healthz, /env, SIGTERM handling. */
import http from 'node:http';

if (process.env.FAKE_SIDECAR_FAIL) {
  console.error('fake sidecar: refusing to start as asked');
  process.exit(3);
}
const server = http.createServer((req, res) => {
  if (req.url === '/healthz') return void res.end('ok');
  if (req.url === '/env') {
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('FCWH_')));
    return void res.end(JSON.stringify({ pid: process.pid, env }));
  }
  res.statusCode = 404;
  res.end();
});
server.listen(Number(process.env.FCWH_PORT), process.env.FCWH_LISTEN_HOST, () =>
  console.log(JSON.stringify({ level: 30, msg: 'listening' })),
);
process.on('SIGTERM', () => {
  console.log(JSON.stringify({ level: 30, msg: 'stopping' }));
  server.close(() => process.exit(0));
});

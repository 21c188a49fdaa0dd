/**
 * The benchmark's receiver, run as its own process (so the sidecar's CPU is measured alone): a lean node:https or
 * node:http server that answers 200 at once and counts, with paths for slow (`/slow/<ms>`) and black-holed
 * (`/blackhole`: reads the request, never answers) endpoints. Controlled over IPC by receiver.ts.
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

export type ReceiverCommand =
  | { cmd: 'stats' }
  | { cmd: 'arrivals' }
  | { cmd: 'reset' }
  | { cmd: 'record'; on: boolean }
  | { cmd: 'down' }
  | { cmd: 'up' };

/** One request: webhook-id header, x-fluent-webhook-id, path, arrival (epoch ms with a fraction). */
export type Arrival = [msgId: string, webhookId: number, path: string, at: number];

const scheme = process.env.BENCH_RECEIVER_SCHEME === 'http' ? 'http' : 'https';
const now = () => performance.timeOrigin + performance.now();

let count = 0;
let first = 0;
let last = 0;
let recording = false;
let arrivals: Arrival[] = [];
const ids = new Set<string>();
let duplicates = 0;
const sockets = new Set<Socket>();

function handle(req: http.IncomingMessage, res: http.ServerResponse): void {
  req.on('data', () => undefined);
  req.on('end', () => {
    const at = now();
    const path = req.url ?? '/';
    if (path === '/blackhole') return; // read, never answered: the sender's timeout ends it
    const msgId = String(req.headers['webhook-id'] ?? '');
    count++;
    first ||= at;
    last = at;
    if (ids.has(msgId)) duplicates++;
    else ids.add(msgId);
    if (recording) arrivals.push([msgId, Number(req.headers['x-fluent-webhook-id'] ?? 0), path, at]);
    const delay = /^\/slow\/(\d+)/.exec(path);
    const answer = () => {
      if (!res.destroyed) res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    };
    if (delay) setTimeout(answer, Number(delay[1]));
    else answer();
  });
}

const server =
  scheme === 'https'
    ? https.createServer(
        {
          cert: fs.readFileSync(process.env.BENCH_TLS_CERT!, 'utf8'),
          key: fs.readFileSync(process.env.BENCH_TLS_KEY!, 'utf8'),
        },
        handle,
      )
    : http.createServer(handle);
server.keepAliveTimeout = 60_000;
server.headersTimeout = 0; // a black-holed request must stay open until the sender gives up
server.requestTimeout = 0;
server.on('connection', (socket: Socket) => {
  sockets.add(socket);
  socket.once('close', () => sockets.delete(socket));
});

let port = Number(process.env.BENCH_RECEIVER_PORT ?? 0);
function listen(): void {
  server.listen(port, '127.0.0.1', () => {
    port = (server.address() as AddressInfo).port;
    process.send?.({ type: 'listening', port });
  });
}

process.on('message', (message: ReceiverCommand) => {
  switch (message.cmd) {
    case 'stats':
      return void process.send?.({ type: 'stats', count, unique: ids.size, duplicates, first, last });
    case 'arrivals':
      return void process.send?.({ type: 'arrivals', arrivals });
    case 'record':
      recording = message.on;
      return void process.send?.({ type: 'ok' });
    case 'reset':
      count = first = last = duplicates = 0;
      arrivals = [];
      ids.clear();
      return void process.send?.({ type: 'ok' });
    case 'down':
      // An outage: refuse new connections and cut the open ones.
      server.close();
      for (const socket of sockets) socket.destroy();
      return void process.send?.({ type: 'ok' });
    case 'up':
      return listen();
  }
});
process.on('disconnect', () => process.exit(0));
listen();

/** Free TCP ports on 127.0.0.1: a random one for tests, a preferred one (or the next free) for the demo. */
import net from 'node:net';

/** True when nothing listens on 127.0.0.1:`port` and we may bind it. */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A port the kernel reports free right now (another process may still take it before you bind). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

/** `preferred` when free, else the next free port among the following `tries - 1`, else a random free one. */
export async function pickPort(preferred: number, tries = 20): Promise<number> {
  for (let port = preferred; port < preferred + tries; port++) {
    if (await isPortFree(port)) return port;
  }
  return freePort();
}

/**
 * With WP_PROXY_HOST set, WordPress sends its outgoing requests through that proxy, except to itself and
 * `localhost`. The plugin's calls to the sidecar carry the shared secret, so they never go through it, even when
 * the sidecar's host is not the site's (here 127.0.0.2 beside a site on 127.0.0.1).
 */
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { fireFixture, fixturesDir, ownNamespace, rest } from '../helpers/rest.ts';
import { perFile } from '../helpers/per-file.ts';
import { startTestSite } from '../helpers/site.ts';

/** A forward proxy that records what reaches it and forwards nothing (502; CONNECT tunnels are closed). */
async function startRecordingProxy() {
  const seen: { method: string; url: string; headers: IncomingHttpHeaders }[] = [];
  const server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    req.resume();
    res.writeHead(502).end('the test proxy forwards nothing');
  });
  server.on('connect', (req, socket) => {
    seen.push({ method: 'CONNECT', url: req.url ?? '', headers: req.headers });
    socket.destroy();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const stack = perFile(
  'the proxied site',
  async () => {
    const proxy = await startRecordingProxy();
    try {
      const site = await startTestSite({
        label: 'e2e_proxy',
        sidecarHost: '127.0.0.2',
        wordpress: {
          constants: {
            FCWH_TEST_FIXTURES_DIR: fixturesDir,
            WP_PROXY_HOST: '127.0.0.1',
            WP_PROXY_PORT: proxy.port,
            // The stack blocks external HTTP; the sidecar's address is let through, as an operator would.
            WP_ACCESSIBLE_HOSTS: '127.0.0.2',
          },
        },
      });
      return { site, proxy };
    } catch (error) {
      await proxy.close();
      throw error;
    }
  },
  async ({ site, proxy }) => {
    await site.stop();
    await proxy.close();
  },
);

describe('a site behind an outgoing proxy', () => {
  it('sends management calls and wake-ups straight to the sidecar, never through the proxy', async () => {
    const { site, proxy } = stack();
    expect(site.sidecar.url).toMatch(/^http:\/\/127\.0\.0\.2:/);
    // WordPress itself would proxy this host: the plugin's exclusion is what keeps the secret off the proxy.
    const wouldProxy = await site.wp.php(
      "remove_all_filters( 'pre_http_send_through_proxy' ); var_export( ( new WP_HTTP_Proxy() )->send_through_proxy( FCWH_SIDECAR_URL . '/admin/webhooks' ) );",
    );
    expect(wouldProxy.trim().split('\n').at(-1)).toBe('true');

    const created = await rest(site, 'POST', '/admin/webhooks', {
      body: { name: 'proxied', url: `${site.receiver.url}/proxied`, events: ['space.deleted'] },
    });
    expect(created.status).toBe(201);
    expect((await rest(site, 'GET', '/admin/webhooks', { ns: ownNamespace })).status).toBe(200);
    await fireFixture(site, 'space.deleted', { overrides: { 0: 77 } });
    const [delivery] = await site.receiver.waitForRequests(1, {
      timeoutMs: 15_000,
      filter: (r) => r.path === '/proxied',
    });
    expect(JSON.parse(delivery!.body).data.id).toBe(77);
    expect(proxy.seen).toEqual([]);
  });
});

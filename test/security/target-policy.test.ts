import { describe, expect, it } from 'vitest';
import {
  BlockedTargetError,
  createGuardedLookup,
  createSender,
} from '../../sidecar/src/delivery/send/sender.ts';
import {
  checkAddress,
  checkUrl,
  isExactlyAllowed,
  parseAllowTargets,
  type TargetPolicy,
} from '../../sidecar/src/delivery/send/target-policy.ts';
import { blockedAddresses, blockedNames, blockedUrls, invalidUrls, publicAddresses } from './ssrf-targets.ts';
import { stubResolver } from './servers.ts';

const production: TargetPolicy = {
  allowTargets: [],
  allowedPorts: [
    [443, 443],
    [1024, 65535],
  ],
};

describe('target policy', () => {
  it.each(blockedUrls(8443))('refuses $label ($url) from the URL alone', ({ url }) => {
    const verdict = checkUrl(new URL(url), production);
    expect(verdict.ok).toBe(false);
  });

  it.each(invalidUrls(8443).filter(({ url }) => URL.canParse(url)))(
    'refuses $label at send time too',
    ({ url }) => {
      expect(checkUrl(new URL(url), production).ok).toBe(false);
    },
  );

  it.each(blockedAddresses)('refuses the resolved address %s', (address) => {
    expect(checkAddress(address, production)).toMatchObject({ ok: false });
  });

  it.each(publicAddresses)('lets the public address %s through', (address) => {
    expect(checkAddress(address, production)).toEqual({ ok: true });
    const host = address.includes(':') ? `[${address}]` : address;
    expect(checkUrl(new URL(`https://${host}/hook`), production)).toEqual({ ok: true });
  });

  it('lets public names through at save time and leaves their addresses to the send-time check', () => {
    for (const url of [
      'https://hooks.slack.com/services/x',
      'https://example.com:8443/x',
      'https://xn--caf-dma.example/',
    ])
      expect(checkUrl(new URL(url), production)).toEqual({ ok: true });
  });

  it('names the reason of a refusal', () => {
    expect(checkAddress('169.254.169.254', production)).toEqual({
      ok: false,
      reason: 'address 169.254.169.254 is linkLocal, not public',
    });
    expect(checkAddress('::7f00:1', production)).toEqual({
      ok: false,
      reason: 'address ::7f00:1 is IPv4-compatible IPv6, not public',
    });
    expect(checkUrl(new URL('https://example.com:22/'), production)).toEqual({
      ok: false,
      reason: 'port 22 is not allowed',
    });
  });

  it('refuses a resolved address written in a legacy IPv4 spelling rather than guessing what it means', () => {
    expect(checkAddress('0x7f.1', production).ok).toBe(false);
    expect(checkAddress('not-an-address', production).ok).toBe(false);
  });

  it('applies the port policy to public hosts: 443 and 1024-65535 by default', () => {
    expect(checkUrl(new URL('https://example.com/'), production).ok).toBe(true);
    expect(checkUrl(new URL('https://example.com:1024/'), production).ok).toBe(true);
    for (const port of [1, 22, 25, 80, 1023])
      expect(checkUrl(new URL(`https://example.com:${port}/`), production).ok).toBe(false);
    const only443: TargetPolicy = { allowTargets: [], allowedPorts: [[443, 443]] };
    expect(checkUrl(new URL('https://example.com:8443/'), only443).ok).toBe(false);
  });

  it('exempts exact host:port allowlist entries, whatever the port policy, and nothing else', () => {
    const policy: TargetPolicy = {
      allowTargets: ['127.0.0.1:9443', '[::1]:9443', 'hooks.internal:22'],
      allowedPorts: [[443, 443]],
    };
    expect(checkUrl(new URL('https://127.0.0.1:9443/x'), policy).ok).toBe(true);
    expect(checkUrl(new URL('https://2130706433:9443/x'), policy).ok).toBe(true);
    expect(checkUrl(new URL('https://[0:0::1]:9443/x'), policy).ok).toBe(true);
    expect(checkUrl(new URL('https://hooks.internal:22/x'), policy).ok).toBe(true);
    expect(checkUrl(new URL('https://127.0.0.1:9444/x'), policy).ok).toBe(false);
    expect(checkUrl(new URL('https://127.0.0.2:9443/x'), policy).ok).toBe(false);
    expect(checkUrl(new URL('https://hooks.internal:23/x'), policy).ok).toBe(false);
    expect(checkUrl(new URL('http://127.0.0.1:9443/x'), policy).ok).toBe(false);
    expect(isExactlyAllowed('[::1]', 9443, policy)).toBe(true);
  });

  it('exempts CIDR allowlist entries by address, still under the port policy', () => {
    const policy: TargetPolicy = {
      allowTargets: ['10.20.0.0/16', 'fd00:abcd::/32'],
      allowedPorts: [[443, 443]],
    };
    expect(checkAddress('10.20.3.4', policy)).toEqual({ ok: true });
    expect(checkAddress('10.21.3.4', policy).ok).toBe(false);
    expect(checkAddress('fd00:abcd::5', policy)).toEqual({ ok: true });
    // An IPv4 range does not open the IPv4-mapped IPv6 spelling of the same address.
    expect(checkAddress('::ffff:10.20.3.4', policy).ok).toBe(false);
    expect(checkUrl(new URL('https://10.20.3.4/'), policy).ok).toBe(true);
    expect(checkUrl(new URL('https://10.20.3.4:8443/'), policy).ok).toBe(false);
  });

  it('rejects malformed allowlist entries, and a sender refuses to start with one', () => {
    for (const bad of ['10.0.0.0/33', 'example.com', '127.0.0.1:', '127.0.0.1:70000', ':443', 'not a cidr/8'])
      expect(() => parseAllowTargets([bad]), bad).toThrow();
    expect(parseAllowTargets(['127.0.0.1:8443', '[::1]:8443', '10.0.0.0/8'])).toMatchObject({
      exact: [
        { host: '127.0.0.1', port: 8443 },
        { host: '::1', port: 8443 },
      ],
    });
    expect(() =>
      createSender({ policy: { allowTargets: ['10.0.0.0/99'], allowedPorts: [] }, timeoutMs: 1000 }),
    ).toThrow(/FCWH_ALLOW_TARGETS/);
  });
});

describe('guarded lookup', () => {
  const lookupOnce = (resolve: ReturnType<typeof stubResolver>['resolve'], host: string, all: boolean) =>
    new Promise<{ err: Error | null; address: unknown }>((done) =>
      createGuardedLookup(resolve, production)(host, { all }, (err, address) => done({ err, address })),
    );

  it('hands the socket exactly the public records it checked', async () => {
    const { resolve, calls } = stubResolver({
      'public.fcwh.test': ['93.184.215.14', '2606:4700:4700::1111'],
    });
    const all = await lookupOnce(resolve, 'public.fcwh.test', true);
    expect(all).toEqual({
      err: null,
      address: [
        { address: '93.184.215.14', family: 4 },
        { address: '2606:4700:4700::1111', family: 6 },
      ],
    });
    const one = await lookupOnce(resolve, 'public.fcwh.test', false);
    expect(one).toEqual({ err: null, address: '93.184.215.14' });
    expect(calls).toEqual(['public.fcwh.test', 'public.fcwh.test']);
  });

  it.each(Object.keys(blockedNames))('refuses every answer for %s', async (name) => {
    const { resolve } = stubResolver(blockedNames);
    const { err, address } = await lookupOnce(resolve, name, true);
    expect(err?.message).toBe(`${name} is not a public address`);
    expect((err as BlockedTargetError).detail).toMatch(/^address \S+ is .+, not public$/);
    expect(address).toEqual([]);
  });

  it('passes resolver errors and empty answers on as errors', async () => {
    const { resolve } = stubResolver({ 'empty.fcwh.test': [] });
    expect((await lookupOnce(resolve, 'missing.fcwh.test', true)).err).toMatchObject({ code: 'ENOTFOUND' });
    expect((await lookupOnce(resolve, 'empty.fcwh.test', true)).err?.message).toMatch(/no address/);
  });
});

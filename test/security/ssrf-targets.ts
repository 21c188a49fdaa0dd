/** The SSRF matrix: URLs a webhook must never reach, and names with the answers a hostile resolver gives. */

/**
 * URLs refused from the URL alone (literal addresses in any spelling, local names, ports). `port` is put on the
 * loopback spellings so that, were one ever let through, it would hit the canary listening there.
 */
export function blockedUrls(port: number): { label: string; url: string }[] {
  const loop = (host: string) => `https://${host}:${port}/hook`;
  return [
    { label: 'loopback 127.0.0.1', url: loop('127.0.0.1') },
    { label: 'loopback shorthand 127.1', url: loop('127.1') },
    { label: 'loopback as a decimal integer', url: loop('2130706433') },
    { label: 'loopback in hex parts 0x7f.1', url: loop('0x7f.1') },
    { label: 'loopback as one octal number', url: loop('017700000001') },
    { label: 'loopback with octal parts 0177.0.0.1', url: loop('0177.0.0.1') },
    { label: 'loopback as one hex number', url: loop('0x7f000001') },
    { label: 'loopback with zero-padded parts', url: loop('127.000.000.001') },
    { label: 'loopback in circled digits (IDNA)', url: loop('①②⑦.⓪.⓪.①') },
    { label: 'loopback with ideographic full stops', url: loop('127。0。0。1') },
    { label: 'loopback percent-encoded', url: loop('%31%32%37.0.0.1') },
    { label: 'loopback with a trailing dot', url: loop('127.0.0.1.') },
    { label: 'other loopback 127.8.9.10', url: loop('127.8.9.10') },
    { label: 'localhost', url: loop('localhost') },
    { label: 'LOCALHOST with a trailing dot', url: loop('LOCALHOST.') },
    { label: 'localhost in fullwidth letters', url: loop('ｌｏｃａｌｈｏｓｔ') },
    { label: 'a .localhost subdomain', url: loop('app.localhost') },
    { label: 'IPv6 loopback [::1]', url: loop('[::1]') },
    { label: 'IPv6 loopback written out', url: loop('[0:0:0:0:0:0:0:1]') },
    { label: 'IPv4-mapped loopback [::ffff:127.0.0.1]', url: loop('[::ffff:127.0.0.1]') },
    { label: 'IPv4-mapped loopback in hex', url: loop('[::ffff:7f00:1]') },
    { label: 'IPv4-compatible loopback [::127.0.0.1]', url: loop('[::127.0.0.1]') },
    { label: 'SIIT (RFC 6145) loopback', url: loop('[::ffff:0:7f00:1]') },
    { label: 'NAT64 64:ff9b::/96 of loopback', url: loop('[64:ff9b::7f00:1]') },
    { label: 'local-use NAT64 64:ff9b:1::/48', url: loop('[64:ff9b:1::a00:1]') },
    { label: '6to4 2002::/16 of loopback', url: loop('[2002:7f00:1::1]') },
    { label: 'Teredo 2001::/32', url: loop('[2001:0:4136:e378:8000:63bf:3fff:fdd2]') },
    { label: 'unspecified 0.0.0.0', url: loop('0.0.0.0') },
    { label: 'unspecified as 0', url: loop('0') },
    { label: 'IPv6 unspecified [::]', url: loop('[::]') },
    { label: 'private 10/8', url: 'https://10.0.0.1/hook' },
    { label: 'private 172.16/12', url: 'https://172.16.5.4/hook' },
    { label: 'private 192.168/16', url: 'https://192.168.1.1/hook' },
    { label: 'carrier-grade NAT 100.64/10', url: 'https://100.64.0.1/hook' },
    { label: 'Alibaba metadata 100.100.100.200', url: 'https://100.100.100.200/latest/meta-data' },
    { label: 'cloud metadata 169.254.169.254', url: 'https://169.254.169.254/latest/meta-data' },
    { label: 'cloud metadata as a decimal integer', url: 'https://2852039166/latest/meta-data' },
    { label: 'AWS IPv6 metadata fd00:ec2::254', url: 'https://[fd00:ec2::254]/latest/meta-data' },
    { label: 'Oracle metadata 192.0.0.192', url: 'https://192.0.0.192/opc/v2/instance' },
    { label: 'link-local fe80::/10', url: 'https://[fe80::1]/hook' },
    { label: 'unique-local fc00::/7', url: 'https://[fc00::1]/hook' },
    { label: 'deprecated site-local fec0::/10', url: 'https://[fec0::1]/hook' },
    { label: 'discard-only 100::/64', url: 'https://[100::1]/hook' },
    { label: 'multicast 224/4', url: 'https://224.0.0.1/hook' },
    { label: 'IPv6 multicast', url: 'https://[ff02::1]/hook' },
    { label: 'broadcast', url: 'https://255.255.255.255/hook' },
    { label: 'reserved 240/4', url: 'https://240.0.0.1/hook' },
    { label: 'benchmarking 198.18/15', url: 'https://198.18.0.1/hook' },
    { label: 'documentation TEST-NET-1', url: 'https://192.0.2.1/hook' },
    { label: 'documentation TEST-NET-2', url: 'https://198.51.100.7/hook' },
    { label: 'documentation TEST-NET-3', url: 'https://203.0.113.9/hook' },
    { label: 'IPv6 documentation 2001:db8::/32', url: 'https://[2001:db8::1]/hook' },
    { label: 'GCP metadata name (.internal)', url: 'https://metadata.google.internal/computeMetadata/v1/' },
    { label: 'a single-label intranet name', url: 'https://intranet/hook' },
    { label: 'an mDNS .local name', url: 'https://printer.local/hook' },
    { label: 'a home.arpa name', url: 'https://router.home.arpa/hook' },
    { label: 'a public host on port 22', url: 'https://example.com:22/hook' },
    { label: 'a public host on port 80', url: 'https://example.com:80/hook' },
    { label: 'a public address on port 25', url: 'https://8.8.8.8:25/hook' },
  ];
}

/** URLs refused as invalid before any address check: scheme and credentials. */
export function invalidUrls(port: number): { label: string; url: string }[] {
  return [
    { label: 'plain http', url: `http://127.0.0.1:${port}/hook` },
    { label: 'plain http to a public name', url: 'http://example.com/hook' },
    { label: 'credentials in the URL', url: 'https://user:pass@example.com/hook' },
    { label: 'credentials before a loopback host', url: `https://example.com@127.0.0.1:${port}/hook` },
    { label: 'file scheme', url: 'file:///etc/passwd' },
    { label: 'gopher scheme', url: `gopher://127.0.0.1:${port}/_x` },
    { label: 'IPv6 zone id', url: 'https://[fe80::1%25eth0]/hook' },
  ];
}

/** Names with the records a hostile or misconfigured DNS gives them; every one must be refused at send time. */
export const blockedNames: Record<string, string[]> = {
  'loopback-a.fcwh.test': ['127.0.0.1'],
  'loopback-aaaa.fcwh.test': ['::1'],
  'loopback-both.fcwh.test': ['::1', '127.0.0.1'],
  'private.fcwh.test': ['10.1.2.3'],
  'private-172.fcwh.test': ['172.31.255.254'],
  'metadata.fcwh.test': ['169.254.169.254'],
  'metadata-v6.fcwh.test': ['fd00:ec2::254'],
  'cgnat.fcwh.test': ['100.64.12.34'],
  'unique-local.fcwh.test': ['fd12:3456::1'],
  'link-local-v6.fcwh.test': ['fe80::abcd'],
  'mapped.fcwh.test': ['::ffff:127.0.0.1'],
  'mapped-private.fcwh.test': ['::ffff:10.0.0.1'],
  'compatible.fcwh.test': ['::7f00:1'],
  'nat64.fcwh.test': ['64:ff9b::a9fe:a9fe'],
  'sixtofour.fcwh.test': ['2002:a9fe:a9fe::1'],
  'unspecified.fcwh.test': ['0.0.0.0'],
  'unspecified-v6.fcwh.test': ['::'],
  'documentation.fcwh.test': ['192.0.2.10'],
  'multicast.fcwh.test': ['239.1.2.3'],
  // One bad record among good ones is enough: the socket could pick any of them.
  'mixed-a-private-last.fcwh.test': ['8.8.8.8', '127.0.0.1'],
  'mixed-a-private-first.fcwh.test': ['127.0.0.1', '8.8.4.4'],
  'mixed-aaaa.fcwh.test': ['2606:4700:4700::1111', '::1'],
  'mixed-families.fcwh.test': ['2606:4700:4700::1111', '1.1.1.1', '10.0.0.7'],
  'mixed-metadata.fcwh.test': ['1.0.0.1', '169.254.169.254'],
};

/** Public addresses the policy must let through (never dialled by the tests). */
export const publicAddresses = [
  '8.8.8.8',
  '8.8.4.4',
  '1.1.1.1',
  '1.0.0.1',
  '93.184.215.14',
  '2606:4700:4700::1111',
  '2a00:1450:4001::1',
];

/** Every non-public address in the answers above. */
export const blockedAddresses = [
  ...new Set(
    Object.values(blockedNames)
      .flat()
      .filter((a) => !publicAddresses.includes(a)),
  ),
];

/** The sender's per-URL cache: each URL string is parsed and judged once, the least recently used dropped first. */
import { describe, expect, it } from 'vitest';
import { createTargetJudge, type TargetPolicy } from '../../sidecar/src/delivery/send/target-policy.ts';

const policy: TargetPolicy = Object.freeze({
  allowTargets: Object.freeze(['127.0.0.1:8443', '10.20.0.0/16']),
  allowedPorts: Object.freeze([[443, 443] as const, [1024, 65535] as const]),
});

describe('target judge', () => {
  it('judges a URL string once and answers later sends from the cache', () => {
    const judge = createTargetJudge(policy);
    const first = judge('https://hooks.example.com/a');
    expect(first).toMatchObject({ ok: true, exact: false });
    expect(judge('https://hooks.example.com/a')).toBe(first);
    expect(judge('https://hooks.example.com/b')).not.toBe(first);
  });

  it('caches the verdict of an exact allowlist entry, which picks the exempt dispatcher', () => {
    const judge = createTargetJudge(policy);
    const first = judge('https://127.0.0.1:8443/hook');
    expect(first).toMatchObject({ ok: true, exact: true });
    expect(first.ok && first.url.href).toBe('https://127.0.0.1:8443/hook');
    expect(judge('https://127.0.0.1:8443/hook')).toBe(first);
    // Another port of the same host is not the entry: loopback is refused, and that verdict is kept too.
    const other = judge('https://127.0.0.1:8444/hook');
    expect(other).toEqual({
      ok: false,
      error: 'Blocked target: address 127.0.0.1 is loopback, not public.',
    });
    expect(judge('https://127.0.0.1:8444/hook')).toBe(other);
  });

  it('keeps the refusals sentences: scheme, credentials, port, local names, unparsable URLs', () => {
    const judge = createTargetJudge(policy);
    expect(judge('http://hooks.example.com/')).toEqual({
      ok: false,
      error: 'Blocked target: scheme http: is not https.',
    });
    expect(judge('https://u:p@hooks.example.com/')).toMatchObject({ ok: false });
    expect(judge('https://hooks.example.com:22/')).toEqual({
      ok: false,
      error: 'Blocked target: port 22 is not allowed.',
    });
    expect(judge('https://metadata.google.internal/')).toMatchObject({ ok: false });
    expect(judge('not a url')).toEqual({ ok: false, error: 'Invalid URL.' });
    // A CIDR entry passes literals inside it; names are left to the per-connection lookup.
    expect(judge('https://10.20.1.2/')).toMatchObject({ ok: true, exact: false });
  });

  it('holds at most `max` URLs and drops the least recently used first', () => {
    const judge = createTargetJudge(policy, 2);
    const a = judge('https://a.example.com/');
    const b = judge('https://b.example.com/');
    expect(judge('https://a.example.com/')).toBe(a); // a is now the most recently used
    judge('https://c.example.com/'); // drops b
    expect(judge('https://a.example.com/')).toBe(a);
    expect(judge('https://b.example.com/')).not.toBe(b);
  });
});

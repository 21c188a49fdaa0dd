/**
 * One exchange's handler, driven by a stand-in dispatcher: the excerpt (cut to chars, at most the byte cap read,
 * then the connection cut), failures as sentences, Retry-After, and the deadline before and after the connection.
 */
import type { Dispatcher } from 'undici';
import { describe, expect, it } from 'vitest';
import { exchange, type ExchangeLimits } from '../../sidecar/src/delivery/send/exchange.ts';
import { excerptOf } from '../../sidecar/src/delivery/send/response.ts';

type Handler = Required<
  Pick<Dispatcher.DispatchHandler, 'onConnect' | 'onHeaders' | 'onData' | 'onComplete' | 'onError'>
>;

/** A dispatcher that hands the handler to `script` (which plays the server) and records aborts. */
function fakeDispatcher(script: (h: Handler, state: { aborted: Error | undefined | null }) => void) {
  const state: { aborted: Error | undefined | null } = { aborted: null };
  const dispatcher = {
    dispatch(_opts: unknown, handler: Handler) {
      script(handler, state);
      return true;
    },
  } as unknown as Dispatcher;
  return { dispatcher, state };
}

const request = { origin: 'https://hooks.example.com', path: '/h', headers: {}, body: '{}' };
const limits: ExchangeLimits = { timeoutMs: 10_000, maxReadBytes: 64 * 1024, excerptChars: 2048 };
const connect = (h: Handler, state: { aborted: Error | undefined | null }) =>
  h.onConnect((reason?: Error) => (state.aborted = reason));
const raw = (...pairs: string[]) => pairs.map((p) => Buffer.from(p));

describe('excerptOf', () => {
  it('cuts to `chars` code points, never splitting a surrogate pair', () => {
    expect(excerptOf([Buffer.from('😀'.repeat(10))], 3)).toBe('😀😀😀');
    expect(excerptOf([Buffer.from('abc'), Buffer.from('def')], 4)).toBe('abcd');
    expect(excerptOf([], 4)).toBe('');
  });
});

describe('exchange', () => {
  it('answers a 2xx with its small body whole', async () => {
    const { dispatcher, state } = fakeDispatcher((h, s) => {
      connect(h, s);
      h.onHeaders(200, raw('content-length', '2'), () => {}, 'OK');
      h.onData(Buffer.from('ok'));
      h.onComplete([]);
    });
    const result = await exchange(dispatcher, request, limits, performance.now());
    expect(result).toEqual({ ok: true, status: 200, ms: expect.any(Number), excerpt: 'ok' });
    expect(state.aborted).toBeNull();
  });

  it('keeps the first `chars` characters of a body in several chunks, a character split across them', async () => {
    const bytes = Buffer.from('é'.repeat(5));
    const { dispatcher } = fakeDispatcher((h, s) => {
      connect(h, s);
      h.onHeaders(200, [], () => {}, 'OK');
      h.onData(bytes.subarray(0, 3));
      h.onData(bytes.subarray(3));
      h.onComplete([]);
    });
    const result = await exchange(dispatcher, request, { ...limits, excerptChars: 4 }, performance.now());
    expect(result).toMatchObject({ ok: true, excerpt: 'éééé' });
  });

  it('stops at `maxReadBytes`, answers at once and cuts the connection, whatever the body announced', async () => {
    let pushed = 0;
    const { dispatcher, state } = fakeDispatcher((h, s) => {
      connect(h, s);
      h.onHeaders(200, raw('content-length', String(100 * 1024)), () => {}, 'OK');
      for (; pushed < 100 && s.aborted === null; pushed++) h.onData(Buffer.alloc(1024, 'x'));
    });
    const result = await exchange(
      dispatcher,
      request,
      { ...limits, maxReadBytes: 4 * 1024, excerptChars: 10 },
      performance.now(),
    );
    expect(result).toEqual({ ok: true, status: 200, ms: expect.any(Number), excerpt: 'x'.repeat(10) });
    expect(state.aborted).not.toBeNull();
    expect(pushed).toBe(4);
  });

  it('answers a body that fails before its end as the failure, not as the status', async () => {
    const { dispatcher } = fakeDispatcher((h, s) => {
      connect(h, s);
      h.onHeaders(200, [], () => {}, 'OK');
      h.onData(Buffer.from('partial'));
      h.onError(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }));
    });
    expect(await exchange(dispatcher, request, limits, performance.now())).toEqual({
      ok: false,
      status: null,
      ms: expect.any(Number),
      error: 'Connection reset by the receiver.',
      excerpt: '',
    });
  });

  it('reads Retry-After (any case) and the excerpt of a refusal, and names a redirect', async () => {
    const answer = (status: number, headers: Buffer[]) =>
      fakeDispatcher((h, s) => {
        connect(h, s);
        h.onHeaders(status, headers, () => {}, '');
        h.onData(Buffer.from('busy'));
        h.onComplete([]);
      }).dispatcher;
    expect(
      await exchange(
        answer(503, raw('Server', 'x', 'Retry-After', '120')),
        request,
        limits,
        performance.now(),
      ),
    ).toEqual({
      ok: false,
      status: 503,
      ms: expect.any(Number),
      error: 'HTTP 503.',
      excerpt: 'busy',
      retryAfter: 120,
    });
    expect(await exchange(answer(302, raw('location', '/x')), request, limits, performance.now())).toEqual({
      ok: false,
      status: 302,
      ms: expect.any(Number),
      error: 'HTTP 302 redirect (not followed).',
      excerpt: 'busy',
    });
  });

  it('ignores an informational answer before the real one', async () => {
    const { dispatcher } = fakeDispatcher((h, s) => {
      connect(h, s);
      h.onHeaders(100, [], () => {}, 'Continue');
      h.onHeaders(204, [], () => {}, 'No Content');
      h.onComplete([]);
    });
    expect(await exchange(dispatcher, request, limits, performance.now())).toMatchObject({
      ok: true,
      status: 204,
    });
  });

  it('times out a request still waiting for its connection, and aborts it as soon as it gets one', async () => {
    let handler: Handler | undefined;
    const { dispatcher } = fakeDispatcher((h) => (handler = h));
    const result = await exchange(dispatcher, request, { ...limits, timeoutMs: 30 }, performance.now());
    expect(result).toMatchObject({ ok: false, status: null, error: 'Timed out.', excerpt: '' });
    let aborted: Error | undefined;
    handler!.onConnect((reason?: Error) => (aborted = reason));
    expect(aborted).toBeInstanceOf(Error);
  });

  it('times out a receiver that never finishes its body, cutting the connection', async () => {
    const { dispatcher, state } = fakeDispatcher((h, s) => {
      connect(h, s);
      h.onHeaders(200, [], () => {}, 'OK');
      h.onData(Buffer.from('a'));
    });
    const result = await exchange(dispatcher, request, { ...limits, timeoutMs: 30 }, performance.now());
    expect(result).toMatchObject({ ok: false, status: null, error: 'Timed out.', excerpt: '' });
    expect(result.ms).toBeGreaterThanOrEqual(25);
    expect(state.aborted).toBeInstanceOf(Error);
  });
});

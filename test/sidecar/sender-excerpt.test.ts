/** The response excerpt: small bodies read in one piece, others streamed up to the byte limit, both cut to chars. */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readExcerpt, type ResponseBody } from '../../sidecar/src/delivery/response.ts';

/** A stand-in for undici's body: a Readable of `chunks` with `arrayBuffer()`, counting what was pulled. */
function body(chunks: Buffer[]) {
  let pulled = 0;
  let destroyed = false;
  const stream = new Readable({
    read() {
      const next = chunks[pulled];
      pulled += 1;
      this.push(next ?? null);
    },
    destroy(error, callback) {
      destroyed = true;
      callback(error);
    },
  }) as ResponseBody;
  stream.arrayBuffer = async () => {
    const parts: Buffer[] = [];
    for await (const c of stream) parts.push(c as Buffer);
    return new Uint8Array(Buffer.concat(parts)).buffer;
  };
  return { stream, pulled: () => pulled, destroyed: () => destroyed };
}

describe('readExcerpt', () => {
  it('reads a body whose Content-Length fits in one piece and keeps it whole', async () => {
    const b = body([Buffer.from('ok')]);
    expect(await readExcerpt(b.stream, 64 * 1024, 2048, '2')).toBe('ok');
  });

  it('cuts a small body to `chars` code points, never splitting a surrogate pair', async () => {
    const text = '😀'.repeat(10);
    const b = body([Buffer.from(text)]);
    expect(await readExcerpt(b.stream, 64 * 1024, 3, String(Buffer.byteLength(text)))).toBe('😀😀😀');
  });

  it('streams a chunked body (no Content-Length) and keeps the first `chars` characters', async () => {
    const b = body([Buffer.from('abc'), Buffer.from('def')]);
    expect(await readExcerpt(b.stream, 64 * 1024, 4)).toBe('abcd');
  });

  it('stops at `maxBytes` and destroys the body, even when its Content-Length announces more', async () => {
    const chunks = Array.from({ length: 100 }, () => Buffer.alloc(1024, 'x'));
    const b = body(chunks);
    const excerpt = await readExcerpt(b.stream, 4 * 1024, 10, String(100 * 1024));
    expect(excerpt).toBe('x'.repeat(10));
    expect(b.destroyed()).toBe(true);
    expect(b.pulled()).toBeLessThan(20);
  });

  it('rejects when the body fails before its end, as the stream reports it', async () => {
    const stream = new Readable({ read() {} }) as ResponseBody;
    const reading = readExcerpt(stream, 64 * 1024, 2048);
    stream.destroy(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }));
    await expect(reading).rejects.toMatchObject({ code: 'UND_ERR_SOCKET' });
  });
});

import { describe, expect, it } from 'vitest';
import { Http1Response, type ResponseLine } from '../../main/core/gateway/http1/response.js';

/** A socket that records what is written and reports as many queued bytes as told. */
function line(queued = 0): ResponseLine & { written: Buffer[]; queued: number } {
  const written: Buffer[] = [];
  const socket = {
    queued,
    write(data: string | Buffer, encodingOrCb?: unknown, cb?: () => void): boolean {
      written.push(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
      const done = typeof encodingOrCb === 'function' ? (encodingOrCb as () => void) : cb;
      if (done) queueMicrotask(done);
      return true;
    },
    cork: (): void => undefined,
    uncork: (): void => undefined,
    destroy: (): void => undefined,
    get writableLength(): number {
      return result.queued;
    },
    writableHighWaterMark: 16_384,
  };
  const result = { socket, keepAliveS: 5, responseDone: (): void => undefined, written, queued } as unknown as ResponseLine & { written: Buffer[]; queued: number };
  return result;
}

const text = (l: { written: Buffer[] }): string => Buffer.concat(l.written).toString('latin1');

describe('a response on the lean server', () => {
  it('copies small chunks, so the caller may reuse its buffer at once', () => {
    const l = line(1_000);
    const res = new Http1Response(l, false, true, false);
    res.activate();
    res.writeHead(200, undefined, ['content-type', 'text/event-stream']);
    const chunk = Buffer.from('data: one\n\n');
    res.write(chunk);
    chunk.fill(0x58);
    expect(text(l)).toContain('data: one\n\n');
    expect(res.holdsCallerBytes()).toBe(false);
  });

  it('takes a large chunk by reference and says so while the socket still holds queued bytes', () => {
    const l = line(0);
    const res = new Http1Response(l, false, true, false);
    res.activate();
    res.writeHead(200, undefined, ['content-length', String(64 * 1024)]);
    res.write(Buffer.alloc(64 * 1024, 0x61));
    expect(res.holdsCallerBytes()).toBe(false);
    l.queued = 30_000;
    expect(res.holdsCallerBytes()).toBe(true);
  });

  it('holds a pipelined answer whole until its turn, and says it holds the caller bytes it kept', () => {
    const l = line(0);
    const res = new Http1Response(l, false, true, false);
    res.writeHead(200, undefined, ['content-length', String(40 * 1024)]);
    const big = Buffer.alloc(40 * 1024, 0x62);
    expect(res.write(big)).toBe(false);
    expect(l.written).toHaveLength(0);
    expect(res.holdsCallerBytes()).toBe(true);
    res.activate();
    expect(text(l)).toMatch(/^HTTP\/1\.1 200 OK\r\ncontent-length: 40960\r\n/);
    expect(Buffer.concat(l.written).subarray(-big.length).equals(big)).toBe(true);
  });

  it('frames a stream without length as chunks and ends it with the zero chunk', async () => {
    const l = line(0);
    const res = new Http1Response(l, false, true, false);
    res.activate();
    res.writeHead(200, undefined, { 'content-type': 'text/event-stream' });
    res.write(Buffer.from('data: a\n\n'));
    res.end();
    await new Promise((r) => setTimeout(r, 0));
    expect(text(l)).toMatch(/transfer-encoding: chunked\r\n[\s\S]*\r\n\r\n9\r\ndata: a\n\n\r\n0\r\n\r\n$/);
    expect(res.writableFinished).toBe(true);
  });
});

import { request, Agent } from 'node:http';
import { connect } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait.js';
import { actor, bearer, call, startHarness, type Harness } from './gateway-fixture.js';

const MB = 1024 * 1024;
let h: Harness;
let port: number;
let secret: string;

beforeAll(async () => {
  h = await startHarness({
    limits: { maxBodyBytes: MB, headersTimeoutMs: 1_000, maxHeaderBytes: 8_192, maxAuthFailures: 20, rateLimit: 100_000 },
  });
  const result = await h.exposure.expose({ name: 'alpha', mode: 'lan', bind: '127.0.0.2', confirm: false }, actor);
  port = result.exposure.port as number;
  secret = result.createdToken?.secret as string;
});

describe('gateway limits', () => {
  it('cuts a 10 MB chunked body off at the 1 MB limit with 413 and closes the connection, never buffering it', async () => {
    const before = h.upstream.uploadBytes();
    const chunk = Buffer.alloc(64 * 1024, 120);
    const outcome = await new Promise<{ status: number; connection: string | undefined; body: string; written: number }>((resolve, reject) => {
      let written = 0;
      let answered = false;
      const req = request({
        host: '127.0.0.2',
        port,
        method: 'POST',
        path: '/upload',
        agent: false,
        headers: { ...bearer(secret), host: `127.0.0.2:${port}`, 'transfer-encoding': 'chunked' },
      });
      req.on('response', (res) => {
        answered = true;
        let body = '';
        res.on('data', (c: Buffer) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body, written }));
      });
      // Once the gateway has answered it stops reading: the rest may never be accepted.
      req.on('error', (err) => (answered ? undefined : reject(err)));
      const pump = (): void => {
        while (!answered && written < 10 * MB) {
          written += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        if (!answered) req.end();
      };
      pump();
    });
    expect(outcome.status).toBe(413);
    expect(outcome.connection).toBe('close');
    expect(JSON.parse(outcome.body)).toMatchObject({ error: 'payload_too_large', message: expect.stringContaining(String(MB)) });
    // Streamed, not buffered: the upstream got at most the limit, and the client was stopped
    // before it could send the whole 10 MB.
    expect(h.upstream.uploadBytes() - before).toBeLessThanOrEqual(MB);
    expect(outcome.written).toBeLessThan(10 * MB);
    expect(h.audit.accesses.at(-1)).toMatchObject({ status: 413, path: '/upload' });
  });

  it('refuses a declared Content-Length over the limit before forwarding anything', async () => {
    const seen = h.upstream.seen.length;
    const r = await new Promise<number>((resolve, reject) => {
      const req = request({
        host: '127.0.0.2',
        port,
        method: 'POST',
        path: '/upload',
        agent: false,
        headers: { ...bearer(secret), host: `127.0.0.2:${port}`, 'content-length': String(10 * MB) },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write(Buffer.alloc(1024));
    });
    expect(r).toBe(413);
    expect(h.upstream.seen.length).toBe(seen);
  });

  it('cuts off a slowloris client that never finishes its headers', async () => {
    const socket = connect({ host: '127.0.0.2', port });
    let received = '';
    let closed = false;
    socket.on('data', (d: Buffer) => (received += d.toString()));
    socket.on('close', () => (closed = true));
    socket.on('error', () => undefined);
    await new Promise((r) => socket.once('connect', r));
    socket.write(`GET /json HTTP/1.1\r\nHost: 127.0.0.2:${port}\r\n`);
    // One header byte at a time, bounded: the gateway must hang up long before this ends.
    let sent = 0;
    const trickle = setInterval(() => {
      if (closed || sent++ > 150) return clearInterval(trickle);
      socket.write('X');
    }, 100);
    await waitFor(() => closed, 20_000, 'the gateway to close the slow connection');
    clearInterval(trickle);
    expect(received).toMatch(/^HTTP\/1\.1 408/);
    expect(received).toContain('"request_timeout"');
  });

  it('answers oversized headers with a JSON 431', async () => {
    const r = await call(port, { headers: { ...bearer(secret), 'x-big': 'y'.repeat(10_000) } });
    expect(r.status).toBe(431);
    expect(JSON.parse(r.body).error).toBe('headers_too_large');
  });

  it('locks out an address after 1,000 failed authentications while another address still works', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 8, localAddress: '127.0.0.5' });
    const statuses: number[] = [];
    const attempt = (headers: Record<string, string>): Promise<{ status: number; retryAfter?: string }> =>
      new Promise((resolve, reject) => {
        const req = request({ host: '127.0.0.2', port, path: '/json', agent, headers: { host: `127.0.0.2:${port}`, ...headers } }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] }));
        });
        req.on('error', reject);
        req.end();
      });
    for (let batch = 0; batch < 100; batch++) {
      const replies = await Promise.all(Array.from({ length: 10 }, (_, i) => attempt(bearer(`wrong-${batch}-${i}`))));
      statuses.push(...replies.map((r) => r.status));
    }
    expect(statuses).toHaveLength(1_000);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(20 + 8);
    expect(statuses.slice(-900).every((s) => s === 429)).toBe(true);
    // Locked out even with the right token now …
    const locked = await attempt(bearer(secret));
    expect(locked.status).toBe(429);
    expect(Number(locked.retryAfter)).toBeGreaterThan(0);
    agent.destroy();
    // … while another address is not affected.
    expect((await call(port, { from: '127.0.0.6', headers: bearer(secret) })).status).toBe(200);
  });

  it('limits the request rate per address with 429 and Retry-After', async () => {
    const strict = await startHarness({ limits: { rateLimit: 5, rateWindowMs: 60_000 } });
    const r = await strict.exposure.expose({ name: 'beta', mode: 'lan', bind: '127.0.0.7', confirm: false }, actor);
    const p = r.exposure.port as number;
    const token = r.createdToken?.secret as string;
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await call(p, { to: '127.0.0.7', from: '127.0.0.8', headers: bearer(token) })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const other = await call(p, { to: '127.0.0.7', from: '127.0.0.9', headers: bearer(token) });
    expect(other.status).toBe(200);
    const again = await call(p, { to: '127.0.0.7', from: '127.0.0.8', headers: bearer(token) });
    expect(again.status).toBe(429);
    expect(Number(again.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('refuses connections over the per-listener cap', async () => {
    const capped = await startHarness({ limits: { maxConnections: 2 } });
    const r = await capped.exposure.expose({ name: 'alpha', mode: 'lan', bind: '127.0.0.10', confirm: false }, actor);
    const p = r.exposure.port as number;
    const open = await Promise.all(
      [0, 1].map(
        () =>
          new Promise<ReturnType<typeof connect>>((resolve) => {
            const s = connect({ host: '127.0.0.10', port: p }, () => resolve(s));
          }),
      ),
    );
    const extra = connect({ host: '127.0.0.10', port: p });
    let extraClosed = false;
    extra.on('close', () => (extraClosed = true));
    extra.on('error', () => undefined);
    await waitFor(() => extraClosed, 10_000, 'the connection over the cap to be closed');
    for (const s of open) s.destroy();
  });

  it('caps connections per client address, so one host cannot take them all', async () => {
    const capped = await startHarness({ limits: { maxConnectionsPerClient: 2 } });
    const r = await capped.exposure.expose({ name: 'alpha', mode: 'lan', bind: '127.0.0.12', confirm: false }, actor);
    const p = r.exposure.port as number;
    const token = r.createdToken?.secret as string;
    const hog = await Promise.all(
      [0, 1].map(
        () =>
          new Promise<ReturnType<typeof connect>>((resolve) => {
            const s = connect({ host: '127.0.0.12', port: p, localAddress: '127.0.0.13' }, () => resolve(s));
          }),
      ),
    );
    const third = connect({ host: '127.0.0.12', port: p, localAddress: '127.0.0.13' });
    let thirdClosed = false;
    third.on('close', () => (thirdClosed = true));
    third.on('error', () => undefined);
    await waitFor(() => thirdClosed, 10_000, 'the third connection from one address to be closed');
    // Another address is still served while the first holds its share.
    expect((await call(p, { to: '127.0.0.12', from: '127.0.0.14', headers: bearer(token) })).status).toBe(200);
    for (const s of hog) s.destroy();
    // Its share is given back when its connections close.
    await waitFor(async () => (await call(p, { to: '127.0.0.12', from: '127.0.0.13', headers: bearer(token) }).catch(() => ({ status: 0 }))).status === 200, 10_000, 'the address to be served again');
  });
});

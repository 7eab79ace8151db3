import { request, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { freePort } from '../helpers/ports.js';
import { waitFor } from '../helpers/wait.js';
import { actor, bearer, startHarness, type Harness } from './gateway-fixture.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

async function expose(name: string, bind: string): Promise<{ port: number; secret: string }> {
  const r = await h.exposure.expose({ name, mode: 'lan', bind, confirm: false }, actor);
  let secret = r.createdToken?.secret;
  if (!secret) secret = h.tokens.mint(h.ids[name] as string, 'extra').secret;
  return { port: r.exposure.port as number, secret };
}

/** Opens an SSE stream through the gateway; `events` fills as each event arrives. */
function openSse(bind: string, port: number, secret: string): Promise<{ res: IncomingMessage; events: string[]; closed: () => boolean }> {
  return new Promise((resolve, reject) => {
    const events: string[] = [];
    let closed = false;
    const req = request({ host: bind, port, path: '/sse', agent: false, headers: { ...bearer(secret), host: `${bind}:${port}`, accept: 'text/event-stream' } }, (res) => {
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        buffer += c;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          events.push(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      });
      res.on('close', () => (closed = true));
      res.on('error', () => (closed = true));
      resolve({ res, events, closed: () => closed });
    });
    req.on('error', (err) => (closed ? undefined : reject(err)));
    req.end();
  });
}

function openWs(bind: string, port: number, headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://${bind}:${port}/kernel`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

const nextMessage = (ws: WebSocket): Promise<string> => new Promise((resolve) => ws.once('message', (d) => resolve(String(d))));

describe('gateway streams', () => {
  it('delivers an SSE stream event by event, each before the next is sent', async () => {
    const { port, secret } = await expose('alpha', '127.0.0.2');
    const sseBefore = h.upstream.sse.length;
    const stream = await openSse('127.0.0.2', port, secret);
    expect(stream.res.headers['content-type']).toBe('text/event-stream');
    expect(stream.res.headers['content-encoding']).toBeUndefined();
    const upstream = await waitFor(() => h.upstream.sse[sseBefore], 10_000, 'the upstream to see the stream');
    for (let i = 1; i <= 5; i++) {
      upstream.write(`data: token-${i}\n\n`);
      // The next event is sent only once this one has crossed the gateway on its own.
      await waitFor(() => stream.events.length === i, 10_000, `event ${i} to arrive`);
      expect(stream.events.at(-1)).toBe(`data: token-${i}`);
    }
    upstream.end();
    await waitFor(() => stream.closed(), 10_000, 'the stream to end');
    await h.exposure.lockdown('alpha', actor);
  });

  it('tunnels a WebSocket echo with a token and refuses one without', async () => {
    const { port, secret } = await expose('alpha', '127.0.0.2');
    const ws = await openWs('127.0.0.2', port, { 'x-portcullis-token': secret });
    for (const text of ['hello', 'ünïcode', 'x'.repeat(100_000)]) {
      const reply = nextMessage(ws);
      ws.send(text);
      expect(await reply).toBe(text);
    }
    const handshake = h.upstream.seen.filter((s) => s.method === 'WS').at(-1);
    expect(handshake?.headers['x-portcullis-token']).toBeUndefined();
    expect(handshake?.headers['x-forwarded-for']).toBe('127.0.0.1');
    ws.close();
    await expect(openWs('127.0.0.2', port, {})).rejects.toThrow('HTTP 401');
    await expect(openWs('127.0.0.2', port, { authorization: 'Bearer wrong-token' })).rejects.toThrow('HTTP 401');
    // A page on another site cannot open a tunnel with the user's cookie.
    await expect(openWs('127.0.0.2', port, { 'x-portcullis-token': secret, origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
    const same = await openWs('127.0.0.2', port, { 'x-portcullis-token': secret, origin: `http://127.0.0.2:${port}` });
    // The upstream sees its own origin (Host was rewritten to its loopback address).
    expect(h.upstream.seen.filter((s) => s.method === 'WS').at(-1)?.headers.origin).toBe(`http://127.0.0.1:${h.upstream.port}`);
    same.close();
    await h.exposure.lockdown('alpha', actor);
  });

  it('lock down ends an open SSE stream and an open WebSocket, and refuses new connections', async () => {
    const { port, secret } = await expose('beta', '127.0.0.3');
    const sseBefore = h.upstream.sse.length;
    const stream = await openSse('127.0.0.3', port, secret);
    const upstream = await waitFor(() => h.upstream.sse[sseBefore], 10_000, 'the upstream stream');
    upstream.write('data: first\n\n');
    await waitFor(() => stream.events.length === 1, 10_000, 'the first event');
    const ws = await openWs('127.0.0.3', port, bearer(secret));
    let wsClosed = false;
    ws.on('close', () => (wsClosed = true));
    ws.on('error', () => undefined);
    const echo = nextMessage(ws);
    ws.send('alive');
    expect(await echo).toBe('alive');

    const view = await h.exposure.lockdown('beta', actor);
    expect(view).toMatchObject({ mode: 'local', urls: [], port: null });
    await waitFor(() => stream.closed() && wsClosed, 10_000, 'the stream and the WebSocket to end');
    const refused = await new Promise<string>((resolve) => {
      const s = connect({ host: '127.0.0.3', port });
      s.once('connect', () => resolve('connected'));
      s.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
    expect(h.changes.at(-1)).toMatchObject({ server: 'beta', mode: 'local', cause: 'locked-down' });
    expect(h.audit.records.at(-1)).toMatchObject({ kind: 'control', action: 'exposure.lockdown', server: 'beta', actor, from: 'lan', to: 'local' });
  });

  it('ends the open streams of a token the moment it is revoked', async () => {
    const { port } = await expose('gamma', '127.0.0.4');
    const token = h.tokens.mint(h.ids.gamma as string, 'laptop');
    const keep = h.tokens.mint(h.ids.gamma as string, 'desktop');
    const doomed = await openSse('127.0.0.4', port, token.secret);
    const kept = await openSse('127.0.0.4', port, keep.secret);
    const ws = await openWs('127.0.0.4', port, bearer(token.secret));
    let wsClosed = false;
    ws.on('close', () => (wsClosed = true));
    h.tokens.revoke(token.id);
    await waitFor(() => doomed.closed() && wsClosed, 10_000, "the revoked token's stream and WebSocket to end");
    expect(kept.closed()).toBe(false);
    await h.exposure.lockdown('gamma', actor);
    await waitFor(() => kept.closed(), 10_000, 'lock down to end the other stream');
  });

  it('a new time box keeps the listener and every open stream; another port replaces it; a shorter box runs out from now', async () => {
    const first = await h.exposure.expose({ name: 'alpha', mode: 'public', bind: '127.0.0.6', confirm: true, durationMs: 3_600_000 }, actor);
    const port = first.exposure.port as number;
    const secret = h.tokens.mint(h.ids.alpha as string, 'teammate').secret;
    const sseBefore = h.upstream.sse.length;
    const stream = await openSse('127.0.0.6', port, secret);
    const upstream = await waitFor(() => h.upstream.sse[sseBefore], 10_000, 'the upstream stream');
    const ws = await openWs('127.0.0.6', port, bearer(secret));
    let wsClosed = false;
    ws.on('close', () => (wsClosed = true));
    ws.on('error', () => undefined);

    // Extended (no port given: the one it has) and then made open-ended: the same listener.
    const longer = await h.exposure.expose({ name: 'alpha', mode: 'public', bind: '127.0.0.6', confirm: true, durationMs: 7_200_000 }, actor);
    expect(longer).toMatchObject({ kept: true, exposure: { port, since: first.exposure.since } });
    expect(Date.parse(longer.exposure.expiresAt as string) - Date.parse(first.exposure.expiresAt as string)).toBeGreaterThan(3_500_000);
    expect(h.audit.records.at(-1)).toMatchObject({ action: 'exposure.expose', from: 'public', to: 'public', params: { kept: true, expiresAt: longer.exposure.expiresAt } });
    expect(h.changes.at(-1)).toMatchObject({ server: 'alpha', cause: 'exposed', expiresAt: longer.exposure.expiresAt });
    const open = await h.exposure.expose({ name: 'alpha', mode: 'public', bind: '127.0.0.6', port, confirm: true, durationMs: null }, actor);
    expect(open).toMatchObject({ kept: true, exposure: { port, expiresAt: null } });
    upstream.write('data: still here\n\n');
    await waitFor(() => stream.events.length === 1, 10_000, 'an event after the time box changed');
    const echo = nextMessage(ws);
    ws.send('alive');
    expect(await echo).toBe('alive');
    expect(stream.closed() || wsClosed).toBe(false);

    // Another port is another listener: the old one and its connections end.
    const moved = await h.exposure.expose({ name: 'alpha', mode: 'public', bind: '127.0.0.6', port: await freePort('127.0.0.6'), confirm: true, durationMs: null }, actor);
    expect(moved.kept).toBe(false);
    await waitFor(() => stream.closed() && wsClosed, 10_000, 'the old listener\'s stream and WebSocket to end');

    // Cut short to one second, counted from now: the hour it had is forgotten.
    const short = await h.exposure.expose({ name: 'alpha', mode: 'public', bind: '127.0.0.6', confirm: true, durationMs: 1_000 }, actor);
    expect(short).toMatchObject({ kept: true, exposure: { port: moved.exposure.port } });
    await waitFor(() => h.changes.at(-1)?.cause === 'expired', 10_000, 'the shorter time box to run out');
    expect(h.changes.at(-1)).toMatchObject({ server: 'alpha', mode: 'local', reason: 'time box ran out' });
  });
});

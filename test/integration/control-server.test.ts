import { statSync } from 'node:fs';
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ControlClient } from '../../main/core/control/client.js';
import { startControlServer } from '../../main/core/control/server.js';
import { controlSocketPath } from '../../main/core/home.js';
import { startTestEngine } from '../helpers/engine.js';

interface Reply {
  status: number;
  body: string;
}

function raw(options: { socketPath?: string; port?: number; path: string; method?: string; headers?: Record<string, string>; body?: string }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { socketPath: options.socketPath, host: '127.0.0.1', port: options.port, path: options.path, method: options.method ?? 'POST', headers: options.headers },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('the control socket (CLI transport)', async () => {
  const engine = await startTestEngine();
  const socketPath = controlSocketPath(engine.home);

  it('is private to the user: socket 0600 in a 0700 home', () => {
    expect(statSync(socketPath).mode & 0o777).toBe(0o600);
    expect(statSync(engine.home).mode & 0o777).toBe(0o700);
  });

  it('refuses an unknown method and malformed arguments, then keeps serving', async () => {
    const unknown = await raw({ socketPath, path: '/api/call/servers.explode', body: '{}' });
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body)).toMatchObject({ ok: false, error: { code: 'unknown_method' } });

    const badJson = await raw({ socketPath, path: '/api/call/servers.add', body: '{"name": ' });
    expect(badJson.status).toBe(400);
    expect(JSON.parse(badJson.body).error.message).toMatch(/not valid JSON/);

    const badArgs = await raw({ socketPath, path: '/api/call/servers.add', body: JSON.stringify({ name: 'x', command: 'node', port: 99999 }) });
    expect(badArgs.status).toBe(400);
    expect(JSON.parse(badArgs.body).error).toMatchObject({ code: 'invalid_args', field: 'port' });

    const client = new ControlClient(socketPath);
    expect(await client.call('servers.list', {})).toEqual([]);
  });

  it('streams events over a WebSocket on the socket', async () => {
    const client = new ControlClient(socketPath);
    const seen: string[] = [];
    const unsubscribe = await client.subscribe((m) => {
      if (m.event === 'server.changed') seen.push(m.payload.name);
    });
    await client.call('servers.add', { name: 'evented', command: process.execPath });
    await expect.poll(() => seen).toContain('evented');
    unsubscribe();
  });
});

describe('the browser transport on 127.0.0.1', async () => {
  const engine = await startTestEngine();
  const token = 'test-session-token-0123456789abcdef';
  const web = await startControlServer({
    dispatch: engine.panel.dispatch,
    bus: engine.panel.bus,
    listen: { kind: 'tcp', port: 0, token },
    actor: () => ({ kind: 'browser', address: '127.0.0.1' }),
  });
  const port = web.port as number;
  const call = (headers: Record<string, string>) => raw({ port, path: '/api/call/servers.list', headers: { 'content-type': 'application/json', ...headers }, body: '{}' });
  const host = `127.0.0.1:${port}`;

  it('answers a call with the token, the right Host and a same-origin Origin', async () => {
    const ok = await call({ host, authorization: `Bearer ${token}`, origin: `http://${host}` });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({ ok: true, result: [] });
    expect((await call({ host: `localhost:${port}`, authorization: `Bearer ${token}` })).status).toBe(200);
  });

  it('refuses a missing or wrong token without echoing it', async () => {
    expect((await call({ host })).status).toBe(401);
    const wrong = await call({ host, authorization: 'Bearer guess-guess-guess' });
    expect(wrong.status).toBe(401);
    expect(wrong.body).not.toContain('guess-guess-guess');
  });

  it('refuses a rebinding Host and a cross-origin caller', async () => {
    expect((await call({ host: `evil.example:${port}`, authorization: `Bearer ${token}` })).status).toBe(421);
    expect((await call({ host, authorization: `Bearer ${token}`, origin: 'http://evil.example' })).status).toBe(403);
  });

  it('survives malformed percent-encoding in a call and a page path', async () => {
    const bad = await raw({ port, path: '/api/call/servers.%E0%A4%A', headers: { host, authorization: `Bearer ${token}` }, body: '{}' });
    expect(bad.status).toBe(404);
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    expect((await call({ host, authorization: `Bearer ${token}` })).status).toBe(200);
  });

  it('opens the event stream only with the token as a subprotocol and the right Origin', async () => {
    const open = (protocols: string[], origin: string) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(`ws://${host}/api/events`, protocols, { origin });
        ws.on('open', () => {
          ws.close();
          resolve('open');
        });
        ws.on('error', () => resolve('refused'));
      });
    expect(await open(['portcullis', `token.${token}`], `http://${host}`)).toBe('open');
    expect(await open(['portcullis', 'token.wrong'], `http://${host}`)).toBe('refused');
    expect(await open(['portcullis', `token.${token}`], 'http://evil.example')).toBe('refused');
    await web.close();
  });
});

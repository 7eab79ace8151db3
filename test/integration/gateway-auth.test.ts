import { beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/ports.js';
import { waitFor } from '../helpers/wait.js';
import { actor, bearer, call, startHarness, type Harness } from './gateway-fixture.js';

let h: Harness;
let port: number;
let secret: string;
let tokenId: string;

beforeAll(async () => {
  h = await startHarness();
  const result = await h.exposure.expose({ name: 'alpha', mode: 'lan', bind: '127.0.0.2', confirm: false }, actor);
  port = result.exposure.port as number;
  // Exposing a server with no token made one: fail closed, and shown once.
  expect(result.createdToken).not.toBeNull();
  secret = result.createdToken?.secret as string;
  tokenId = result.createdToken?.id as string;
});

const lastAccess = () => h.audit.accesses.at(-1);

describe('gateway authentication', () => {
  it('answers its health path without a token', async () => {
    const r = await call(port, { path: '/.portcullis/health' });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ status: 'ok', server: 'alpha', mode: 'lan' });
  });

  it('refuses a request without a token with 401, WWW-Authenticate and a JSON reason', async () => {
    const r = await call(port);
    expect(r.status).toBe(401);
    expect(r.headers['www-authenticate']).toBe('Bearer realm="portcullis"');
    expect(JSON.parse(r.body)).toMatchObject({ error: 'unauthorized', message: expect.stringContaining('Bearer') });
    expect(lastAccess()).toMatchObject({ server: 'alpha', mode: 'lan', client: '127.0.0.1', status: 401, reason: 'unauthorized' });
  });

  it('refuses a wrong token, and never echoes it', async () => {
    const wrong = 'A'.repeat(43);
    const r = await call(port, { headers: bearer(wrong) });
    expect(r.status).toBe(401);
    expect(r.body).not.toContain(wrong);
    expect(JSON.stringify(h.audit.accesses)).not.toContain(wrong);
  });

  it("refuses another server's token", async () => {
    const other = h.tokens.mint(h.ids.beta as string, 'beta-client');
    expect((await call(port, { headers: bearer(other.secret) })).status).toBe(401);
  });

  it('refuses revoked and expired tokens', async () => {
    const revoked = h.tokens.mint(h.ids.alpha as string, 'to-revoke');
    expect((await call(port, { headers: bearer(revoked.secret) })).status).toBe(200);
    h.tokens.revoke(revoked.id);
    expect((await call(port, { headers: bearer(revoked.secret) })).status).toBe(401);
    const expired = h.tokens.mint(h.ids.alpha as string, 'expired', -1);
    expect((await call(port, { headers: bearer(expired.secret) })).status).toBe(401);
  });

  it('forwards with a valid Bearer token, our credential removed and the forwarding headers set', async () => {
    const r = await call(port, { path: '/json?x=1', headers: { ...bearer(secret), 'x-forwarded-for': '6.6.6.6', connection: 'keep-alive, x-drop', 'x-drop': '1' } });
    expect(r.status).toBe(200);
    expect(r.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    const seen = h.upstream.seen.at(-1);
    expect(seen?.url).toBe('/json?x=1');
    expect(seen?.headers.authorization).toBeUndefined();
    expect(seen?.headers['x-drop']).toBeUndefined();
    // A client cannot plant its own X-Forwarded-For: no trusted proxies are configured.
    expect(seen?.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(seen?.headers['x-forwarded-proto']).toBe('http');
    expect(seen?.headers['x-forwarded-host']).toBe(`127.0.0.2:${port}`);
    expect(seen?.headers.host).toBe(`127.0.0.1:${h.upstream.port}`);
    expect(lastAccess()).toMatchObject({ status: 200, tokenId, tokenLabel: 'default', method: 'GET', path: '/json?x=1' });
  });

  it('accepts X-Portcullis-Token and removes it before forwarding', async () => {
    const r = await call(port, { headers: { 'x-portcullis-token': secret } });
    expect(r.status).toBe(200);
    expect(h.upstream.seen.at(-1)?.headers['x-portcullis-token']).toBeUndefined();
  });

  // Documented in README ("How clients authenticate"): the scheme is case-insensitive
  // (RFC 7235), whitespace around the token is forgiven, whitespace inside it is not.
  it('accepts "bearer" in any case and surrounding whitespace, refuses whitespace inside the token', async () => {
    expect((await call(port, { headers: { authorization: `bearer ${secret}` } })).status).toBe(200);
    expect((await call(port, { headers: { authorization: `BEARER ${secret}` } })).status).toBe(200);
    expect((await call(port, { headers: { authorization: `Bearer    ${secret}   ` } })).status).toBe(200);
    expect((await call(port, { headers: { 'x-portcullis-token': `  ${secret}\t` } })).status).toBe(200);
    const split = `${secret.slice(0, 10)} ${secret.slice(10)}`;
    const r = await call(port, { headers: { authorization: `Bearer ${split}` } });
    expect(r.status).toBe(401);
    expect(JSON.parse(r.body).message).toContain('malformed');
  });

  it("leaves another scheme's Authorization for the upstream, and adds the upstream's own token", async () => {
    const gamma = await h.exposure.expose({ name: 'gamma', mode: 'lan', bind: '127.0.0.3', confirm: false }, actor);
    const gport = gamma.exposure.port as number;
    const r = await call(gport, { to: '127.0.0.3', headers: { 'x-portcullis-token': gamma.createdToken?.secret as string } });
    expect(r.status).toBe(200);
    expect(h.upstream.seen.at(-1)?.headers.authorization).toBe('token upstream-own-secret');
    await h.exposure.lockdown('gamma', actor);
  });

  it('exchanges ?portcullis_token= once for an HttpOnly SameSite=Strict cookie and a redirect without it', async () => {
    const r = await call(port, { path: `/notebook?a=1&portcullis_token=${secret}` });
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe('/notebook?a=1');
    const cookie = r.headers['set-cookie']?.[0] as string;
    expect(cookie).toMatch(new RegExp(`^portcullis_token_${port}=`));
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(lastAccess()?.path).toBe('/notebook?a=1');
    const pair = cookie.split(';')[0] as string;
    const again = await call(port, { path: '/notebook?a=1', headers: { cookie: `theme=dark; ${pair}` } });
    expect(again.status).toBe(200);
    // The upstream keeps its own cookies and never sees ours.
    expect(h.upstream.seen.at(-1)?.headers.cookie).toBe('theme=dark');
    // A wrong token in the query gets no cookie.
    const wrong = await call(port, { path: '/notebook?portcullis_token=nope' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });

  it('refuses a spoofed Host (DNS rebinding) with 421, even with a valid token', async () => {
    const r = await call(port, { host: `evil.example:${port}`, headers: bearer(secret) });
    expect(r.status).toBe(421);
    expect(JSON.parse(r.body).error).toBe('misdirected_request');
    // Another address of this machine is not this listener's address either.
    expect((await call(port, { host: `127.0.0.1:${port}`, headers: bearer(secret) })).status).toBe(421);
    expect((await call(port, { host: `127.0.0.2:${port + 1}`, headers: bearer(secret) })).status).toBe(421);
  });

  it('refuses a cross-origin POST with 403, allows same-origin and non-browser POSTs', async () => {
    const post = (origin?: string) =>
      call(port, { method: 'POST', path: '/echo', body: '{}', headers: { ...bearer(secret), 'content-type': 'application/json', ...(origin ? { origin } : {}) } });
    expect((await post('http://evil.example')).status).toBe(403);
    expect((await post('null')).status).toBe(403);
    expect((await post(`http://127.0.0.2:${port}`)).status).toBe(200);
    expect((await post()).status).toBe(200);
    // A cross-origin GET is harmless (no state change) and allowed.
    expect((await call(port, { headers: { ...bearer(secret), origin: 'http://evil.example' } })).status).toBe(200);
  });

  it('answers 503 while the server is stopped and 502 when its port refuses', async () => {
    h.setRunning('alpha', false);
    const stopped = await call(port, { headers: bearer(secret) });
    h.setRunning('alpha', true);
    expect(stopped.status).toBe(503);
    expect(JSON.parse(stopped.body)).toMatchObject({ error: 'unavailable', message: expect.stringContaining('stopped') });
    h.setPort('alpha', await freePort());
    const refused = await call(port, { headers: bearer(secret) });
    h.setPort('alpha', h.upstream.port);
    expect(refused.status).toBe(502);
    expect(JSON.parse(refused.body).error).toBe('bad_gateway');
  });

  it('is no forward proxy: an absolute-form request target is refused', async () => {
    const r = await call(port, { path: 'http://example.com/', headers: bearer(secret) });
    expect(r.status).toBe(400);
    expect(h.upstream.seen.at(-1)?.url).not.toContain('example.com');
  });

  it('records every request, allowed or denied, with no secret in any record', async () => {
    await waitFor(() => h.audit.accesses.length > 10);
    const text = JSON.stringify(h.audit.accesses);
    expect(text).not.toContain(secret);
    expect(h.audit.accesses.some((a) => a.status === 401 && a.reason)).toBe(true);
    expect(h.audit.accesses.every((a) => typeof a.durationMs === 'number' && a.bytesOut >= 0)).toBe(true);
  });
});

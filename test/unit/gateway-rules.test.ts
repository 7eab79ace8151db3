import { describe, expect, it } from 'vitest';
import { findCredential, withoutCookie, withoutParams } from '../../main/core/gateway/credentials.js';
import { originMatchesHost } from '../../main/core/gateway/host-rules.js';
import { SlidingWindow } from '../../main/core/gateway/sliding-window.js';

describe('sliding window', () => {
  it('allows the limit per window, then refuses with a Retry-After that shrinks as the window slides', () => {
    let now = 0;
    const w = new SlidingWindow(3, 10_000, 100, () => now);
    expect([w.hit('a'), w.hit('a'), w.hit('a')].every((v) => v.ok)).toBe(true);
    const refused = w.hit('a');
    expect(refused).toEqual({ ok: false, retryAfterS: 10 });
    expect(w.hit('b').ok).toBe(true);
    now = 12_000; // the previous window still weighs 80 %: 2.4 of 3
    expect(w.hit('a').ok).toBe(true);
    const later = w.hit('a');
    expect(later.ok).toBe(false);
    now = 25_000;
    expect(w.check('a').ok).toBe(true);
  });

  it('keeps at most maxKeys addresses, forgetting the least recently seen', () => {
    const w = new SlidingWindow(1, 60_000, 3, () => 0);
    for (const k of ['a', 'b', 'c']) w.hit(k);
    w.check('a'); // a is now the most recent
    w.hit('d');
    expect(w.size).toBe(3);
    expect(w.check('a').ok).toBe(false); // still remembered, still over its limit
    expect(w.check('b').ok).toBe(true); // forgotten
  });
});

describe('credentials', () => {
  const find = (headers: Record<string, string>, url = '/', query = true) => findCredential(headers, url, 'portcullis_token_8080', query);
  it('reads the header, Bearer in any case, the cookie, then the GET parameter, in that order', () => {
    expect(find({ 'x-portcullis-token': 'aaa', authorization: 'Bearer bbb' })).toEqual({ kind: 'token', token: 'aaa', source: 'header' });
    expect(find({ authorization: 'bEaReR bbb' })).toEqual({ kind: 'token', token: 'bbb', source: 'bearer' });
    expect(find({ authorization: 'token jupyter' })).toEqual({ kind: 'none' });
    expect(find({ cookie: 'x=1; portcullis_token_8080=ccc' })).toEqual({ kind: 'token', token: 'ccc', source: 'cookie' });
    expect(find({ cookie: 'portcullis_token_9090=ccc' })).toEqual({ kind: 'none' });
    expect(find({}, '/?portcullis_token=ddd')).toEqual({ kind: 'token', token: 'ddd', source: 'query' });
    expect(find({}, '/?portcullis_token=ddd', false)).toEqual({ kind: 'none' });
    expect(find({ authorization: 'Bearer a b' })).toEqual({ kind: 'malformed', source: 'bearer' });
    expect(find({ authorization: 'Bearer ' })).toEqual({ kind: 'malformed', source: 'bearer' });
  });

  it('removes secrets from paths and our cookie from the Cookie header', () => {
    expect(withoutParams('/a?x=1&portcullis_token=s&token=t&api_key=k')).toBe('/a?x=1');
    expect(withoutParams('/a?portcullis_token=s')).toBe('/a');
    expect(withoutCookie('a=1; portcullis_token_8080=s; b=2', 'portcullis_token_8080')).toBe('a=1; b=2');
    expect(withoutCookie('portcullis_token_8080=s', 'portcullis_token_8080')).toBeUndefined();
  });

  it('matches Origin to Host with default ports and IPv6', () => {
    expect(originMatchesHost(undefined, 'h:1')).toBe(true);
    expect(originMatchesHost('http://h:1', 'h:1')).toBe(true);
    expect(originMatchesHost('http://h', 'h')).toBe(true);
    expect(originMatchesHost('http://[::1]:8080', '[::1]:8080')).toBe(true);
    expect(originMatchesHost('https://h:1', 'h:1')).toBe(false);
    expect(originMatchesHost('http://h:2', 'h:1')).toBe(false);
    expect(originMatchesHost('null', 'h:1')).toBe(false);
    // An HTTPS listener: its own pages are https, on 443 when no port is written.
    expect(originMatchesHost('https://h:1', 'h:1', true)).toBe(true);
    expect(originMatchesHost('https://h', 'h', true)).toBe(true);
    expect(originMatchesHost('https://h', 'h:443', true)).toBe(true);
    expect(originMatchesHost('http://h:1', 'h:1', true)).toBe(false);
    expect(originMatchesHost('https://h', 'h:80', true)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { headerBlock } from '../../main/core/gateway/http1/request-headers.js';

describe('request headers as the gateway reads them', () => {
  it('lower-cases names and keeps the first copy of singular fields, as node:http does', () => {
    const { headers, duplicateHost } = headerBlock(['Authorization', 'Bearer first', 'AUTHORIZATION', 'Bearer second', 'Content-Length', '5', 'content-length', '7']);
    expect(headers.authorization).toBe('Bearer first');
    expect(headers['content-length']).toBe('5');
    expect(duplicateHost).toBe(false);
  });

  it('joins list fields with commas, cookies with semicolons, and keeps set-cookie a list', () => {
    const { headers } = headerBlock(['Accept', 'a/b', 'accept', 'c/d', 'Cookie', 'x=1', 'cookie', 'y=2', 'Set-Cookie', 's=1', 'set-cookie', 't=2']);
    expect(headers.accept).toBe('a/b, c/d');
    expect(headers.cookie).toBe('x=1; y=2');
    expect(headers['set-cookie']).toEqual(['s=1', 't=2']);
  });

  it('flags a second Host, whatever its case or value', () => {
    const { headers, duplicateHost } = headerBlock(['Host', '127.0.0.2:8080', 'hOST', 'evil.example']);
    expect(duplicateHost).toBe(true);
    expect(headers.host).toBe('127.0.0.2:8080');
  });

  it('treats a header named __proto__ as a header, not as the object prototype', () => {
    const { headers } = headerBlock(['__proto__', 'polluted', 'Host', 'a']);
    expect(Object.getPrototypeOf(headers)).toBeNull();
    expect(headers['__proto__' as 'host']).toBe('polluted');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rendererFile, rendererHeaders } from '../../main/core/security/renderer-files.js';

describe('serving the built renderer', () => {
  const root = '/opt/portcullis/out/renderer';

  it('maps paths inside the renderer, and / to index.html', () => {
    expect(rendererFile(root, '/')).toBe(join(root, 'index.html'));
    expect(rendererFile(root, '/assets/app-1.js')).toBe(join(root, 'assets/app-1.js'));
  });

  it.each(['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/..%2F..%2F..%2Fsecret', '/%E0%A4%A', '/a%00b'])('refuses %s', (path) => {
    expect(rendererFile(root, path)).toBeNull();
  });

  it('serves every file with the CSP and no MIME sniffing', () => {
    const headers = rendererHeaders('/x/index.html');
    expect(headers['content-type']).toBe('text/html; charset=utf-8');
    expect(headers['content-security-policy']).toContain("script-src 'self'");
    expect(headers['x-content-type-options']).toBe('nosniff');
  });
});

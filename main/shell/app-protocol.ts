import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { protocol } from 'electron';
import { rendererCsp } from '../core/security/csp.js';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** Must run before the app is ready: app:// behaves like a secure, standard origin. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Serves only the built renderer's own files, each with the CSP; nothing else is reachable. */
export function serveRenderer(root: string): void {
  const base = normalize(root + sep);
  protocol.handle('app', async (request) => {
    const url = new URL(request.url);
    const file = normalize(join(base, decodeURIComponent(url.pathname)));
    if (url.host !== 'portcullis' || !file.startsWith(base)) return new Response('not found', { status: 404 });
    try {
      const body = await readFile(file);
      return new Response(body, {
        headers: {
          'content-type': types[extname(file)] ?? 'application/octet-stream',
          'content-security-policy': rendererCsp,
          'x-content-type-options': 'nosniff',
        },
      });
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
}

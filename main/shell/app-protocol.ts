import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { rendererFile, rendererHeaders } from '../core/security/renderer-files.js';


/** Must run before the app is ready: app:// behaves like a secure, standard origin. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Serves only the built renderer's own files, each with the CSP; nothing else is reachable. */
export function serveRenderer(root: string): void {
  protocol.handle('app', async (request) => {
    const url = new URL(request.url);
    const file = url.host === 'portcullis' ? rendererFile(root, url.pathname) : null;
    if (!file) return new Response('not found', { status: 404 });
    try {
      const body = await readFile(file);
      return new Response(body, { headers: rendererHeaders(file) });
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
}

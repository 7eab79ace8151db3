import { extname, join, normalize, sep } from 'node:path';
import { rendererCsp } from './csp.js';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/**
 * The file of the built renderer a URL path names, or null when it names anything outside
 * it (`..`, encoded or not) or cannot be decoded. Both faces serve the renderer through this.
 */
export function rendererFile(root: string, urlPath: string): string | null {
  const base = normalize(root + sep);
  let path: string;
  try {
    path = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (path.includes('\0')) return null;
  if (path.endsWith('/')) path += 'index.html';
  const file = normalize(join(base, path));
  return file.startsWith(base) ? file : null;
}

/** The headers every renderer file is served with, in the window and in the browser alike. */
export function rendererHeaders(file: string): Record<string, string> {
  return {
    'content-type': contentTypes[extname(file)] ?? 'application/octet-stream',
    'content-security-policy': rendererCsp,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
}

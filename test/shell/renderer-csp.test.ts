import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { rendererCsp } from '../../main/core/security/csp.js';
import { registerAppScheme, serveRenderer } from '../../main/shell/app-protocol.js';
import { repoRoot } from '../helpers/paths.js';
import { cspProblems, htmlProblems, metaCsp } from './csp-check.js';
import { resetFakeElectron, type FakeElectron } from './fake-electron.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).fakeElectronModule());

const rendererDir = join(repoRoot, 'out/renderer');

describe('the CSP checker', () => {
  it('catches each kind of hole, so a pass below means something', () => {
    expect(cspProblems("default-src 'self'; object-src 'none'")).toEqual([]);
    expect(cspProblems("default-src 'self'; script-src 'self' 'unsafe-inline'; object-src 'none'")).not.toEqual([]);
    expect(cspProblems("default-src 'self'; script-src 'self' 'unsafe-eval'; object-src 'none'")).not.toEqual([]);
    expect(cspProblems("default-src 'self'; script-src 'self' 'sha256-abc='; object-src 'none'")).not.toEqual([]);
    expect(cspProblems("default-src 'self'; script-src 'self' https://cdn.example; object-src 'none'")).not.toEqual([]);
    expect(cspProblems("default-src 'self'; connect-src 'self' wss:; object-src 'none'")).not.toEqual([]);
    expect(cspProblems("default-src 'self'; img-src *; object-src 'none'")).not.toEqual([]);
    expect(cspProblems("style-src 'self'")).not.toEqual([]);
    expect(htmlProblems('<script>alert(1)</script>')).not.toEqual([]);
    expect(htmlProblems('<script src="https://cdn.example/x.js"></script>')).not.toEqual([]);
    expect(htmlProblems('<link rel="stylesheet" href="//cdn.example/x.css">')).not.toEqual([]);
    expect(htmlProblems('<img src="x.png" onerror="alert(1)">')).not.toEqual([]);
    expect(htmlProblems('<script type="module" src="./assets/index.js"></script>')).toEqual([]);
  });
});

describe('what the window runs: the built renderer and the CSP the shell sends', () => {
  let electron: FakeElectron;
  let html = '';
  const get = async (url: string): Promise<Response> => {
    const handler = electron.protocol.handlers.get('app');
    if (!handler) throw new Error('the shell registered no app:// handler');
    return handler(new Request(url));
  };

  beforeAll(() => {
    if (!existsSync(join(rendererDir, 'index.html'))) throw new Error('out/renderer/index.html is missing: run `npm run build` first');
    html = readFileSync(join(rendererDir, 'index.html'), 'utf8');
    electron = resetFakeElectron();
    registerAppScheme();
    serveRenderer(rendererDir);
  });

  it('the built index.html has no inline script, no inline handler, nothing remote', () => {
    expect(htmlProblems(html)).toEqual([]);
    expect(html).toMatch(/<script\b[^>]*\bsrc="\.\/assets\/[^"]+\.js"/);
  });

  it('the index.html meta policy forbids inline and remote scripts and eval', () => {
    const policy = metaCsp(html);
    expect(policy, 'index.html must carry its own CSP as a second line of defence').toBeDefined();
    expect(cspProblems(policy ?? '')).toEqual([]);
  });

  it('every file the shell serves carries the strict CSP header', async () => {
    const assets = [...html.matchAll(/\b(?:src|href)="\.\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
    expect(assets.length).toBeGreaterThan(0);
    for (const path of ['index.html', ...assets]) {
      const response = await get(`app://portcullis/${path}`);
      expect(response.status, path).toBe(200);
      const policy = response.headers.get('content-security-policy') ?? '';
      expect(policy, path).toBe(rendererCsp);
      expect(cspProblems(policy), path).toEqual([]);
      expect(parseFrameAncestors(policy)).toBe("'none'");
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('serves nothing outside the renderer folder or for another host', async () => {
    for (const url of [
      'app://portcullis/%2e%2e/%2e%2e/package.json',
      'app://portcullis/..%2f..%2fpackage.json',
      'app://portcullis/does-not-exist.js',
      'app://elsewhere/index.html',
    ]) {
      expect((await get(url)).status, url).toBe(404);
    }
  });
});

function parseFrameAncestors(policy: string): string | undefined {
  return policy
    .split(';')
    .map((d) => d.trim())
    .find((d) => d.startsWith('frame-ancestors '))
    ?.slice('frame-ancestors '.length);
}

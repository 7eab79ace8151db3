import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HIDDEN_TOKEN, qrTarget, snippet } from '../../main/core/secrets/snippets.js';
import { newSecret } from '../../main/core/secrets/token-format.js';
import { tempDir } from '../helpers/tmp.js';

const run = promisify(execFile);
const token = newSecret();
let url = '';
const seen: Array<{ auth: string | undefined; path: string | undefined }> = [];
const server = createServer((req, res) => {
  seen.push({ auth: req.headers.authorization, path: req.url });
  res.end('ok');
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('client snippets', () => {
  it('curl sends the token as a Bearer header', async () => {
    const text = snippet('curl', { url, token, name: 'demo' });
    const { stdout } = await run('sh', ['-c', `${text} -s`]);
    expect(stdout).toBe('ok');
    expect(seen.at(-1)).toEqual({ auth: `Bearer ${token}`, path: '/' });
  });

  it('env exports what the OpenAI clients and scripts read', async () => {
    const text = snippet('env', { url, token, name: 'demo' });
    const { stdout } = await run('sh', ['-c', `${text}\nprintf '%s|%s|%s|%s' "$PORTCULLIS_URL" "$PORTCULLIS_TOKEN" "$OPENAI_BASE_URL" "$OPENAI_API_KEY"`]);
    expect(stdout).toBe(`${url}|${token}|${url}/v1|${token}`);
  });

  it('python and js are valid programs with base_url and api_key', async () => {
    const dir = tempDir('pc-snip-');
    const py = snippet('python', { url, token, name: 'demo' });
    expect(py).toContain(`base_url="${url}/v1", api_key="${token}"`);
    writeFileSync(join(dir, 'client.py'), py);
    await run('python3', ['-m', 'py_compile', join(dir, 'client.py')]);
    const js = snippet('js', { url: `${url}/v1`, token, name: 'demo' });
    expect(js).toContain(`baseURL: "${url}/v1", apiKey: "${token}"`);
    writeFileSync(join(dir, 'client.mjs'), js);
    await run(process.execPath, ['--check', join(dir, 'client.mjs')]);
  });

  it('mcp is a client configuration with a headers block', () => {
    const config = JSON.parse(snippet('mcp', { url: `${url}/mcp`, token, name: 'palinode' })) as {
      mcpServers: Record<string, { url: string; headers: Record<string, string> }>;
    };
    expect(config.mcpServers.palinode).toEqual({ type: 'http', url: `${url}/mcp`, headers: { Authorization: `Bearer ${token}` } });
  });

  it('a hidden snippet carries the placeholder, not a token', () => {
    for (const kind of ['curl', 'python', 'js', 'mcp', 'env'] as const) {
      const text = snippet(kind, { url, token: HIDDEN_TOKEN, name: 'demo' });
      expect(text).not.toMatch(/pcs_/);
      expect(text).toContain(HIDDEN_TOKEN);
    }
  });

  it('the QR target puts the token where the gateway exchanges it for a cookie', () => {
    const target = new URL(qrTarget(`${url}/lab`, token));
    expect(target.pathname).toBe('/lab');
    expect(target.searchParams.get('portcullis_token')).toBe(token);
  });
});

import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { promisify } from 'node:util';
import { startEngine } from '../main/core/engine.js';
import { openConfBackend } from '../main/core/settings/conf-backend.js';
import { openKeytarKeychain } from '../main/platform/keytar-keychain.js';
const ex = promisify(execFile);
const home = mkdtempSync('/tmp/pc-dbg-');
const engine = await startEngine({ home, face: 'test', version: 't', openSettings: openConfBackend, log: (m, e) => console.log('LOG', m, e), keychain: openKeytarKeychain() });
const ctx = { actor: { kind: 'cli', user: 't' } } as const;
const call = async (m: string, a: unknown) => { const r = await engine.panel.dispatch(m, a, ctx); console.log(m, JSON.stringify(r).slice(0, 300)); return r.ok ? r.result as any : null; };
await call('servers.add', { name: 'llm', command: process.execPath, args: ['-e', "require('http').createServer((q,s)=>s.end('ok')).listen(18777,'127.0.0.1')"], port: 18777 });
await call('servers.start', { name: 'llm' });
const c = await call('tokens.create', { server: 'llm', label: 'first', show: true });
const e = await call('exposure.expose', { name: 'llm', mode: 'lan', bind: '127.0.0.1' });
const base = e.exposure.urls[0];
await new Promise((r) => setTimeout(r, 500));
for (const args of [['-sS', '-m', '3', '-i', base + '.portcullis/health'], ['-sS', '-m', '3', '-i', base], ['-sS', '-m', '3', '-i', '-H', `Authorization: Bearer ${c.secret}`, base]]) {
  try { console.log((await ex('curl', args)).stdout); } catch (err) { console.log('ERR', String(err).slice(0, 200)); }
}
await engine.close();

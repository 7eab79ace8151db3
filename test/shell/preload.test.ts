import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { repoRoot } from '../helpers/paths.js';
import { fake, resetFakeElectron, type FakeElectron } from './fake-electron.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).fakeElectronModule());

type Bridge = Record<string, unknown> & {
  invoke(method: unknown, args: unknown): Promise<unknown>;
  on(event: unknown, callback: unknown): () => void;
};

/** The source preload, run through Vitest with the fake electron. */
async function sourcePreload(): Promise<{ key: string; api: Bridge }> {
  vi.resetModules();
  await import('../../preload/index.js');
  const call = fake().contextBridge.exposeInMainWorld.mock.calls.at(-1);
  if (!call) throw new Error('the preload exposed nothing');
  return { key: call[0], api: call[1] as Bridge };
}

/**
 * The bundle that ships (out/preload/preload.cjs), run as a sandboxed preload runs: a
 * CommonJS script whose `require` knows only 'electron'. Anything else it required would
 * fail in Electron's sandbox, so here it throws too.
 */
function builtPreload(): { key: string; api: Bridge; required: string[] } {
  const file = join(repoRoot, 'out/preload/preload.cjs');
  if (!existsSync(file)) throw new Error('out/preload/preload.cjs is missing: run `npm run build` first');
  const required: string[] = [];
  const module = { exports: {} };
  const sandboxRequire = (name: string): unknown => {
    required.push(name);
    if (name === 'electron') return fake();
    throw new Error(`module not found in the preload sandbox: ${name}`);
  };
  runInNewContext(readFileSync(file, 'utf8'), { require: sandboxRequire, module, exports: module.exports, Promise, TypeError });
  const call = fake().contextBridge.exposeInMainWorld.mock.calls.at(-1);
  if (!call) throw new Error('the built preload exposed nothing');
  return { key: call[0], api: call[1] as Bridge, required };
}

describe.each([
  ['preload/index.ts', sourcePreload],
  ['out/preload/preload.cjs', async () => builtPreload()],
])('the preload (%s)', (_name, load) => {
  let electron: FakeElectron;
  beforeEach(() => {
    electron = resetFakeElectron();
  });

  it('exposes exactly invoke and on, as window.portcullis', async () => {
    const { key, api } = await load();
    expect(key).toBe('portcullis');
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on']);
    expect(typeof api.invoke).toBe('function');
    expect(typeof api.on).toBe('function');
  });

  it('calls the method\'s own channel with the arguments only', async () => {
    const { api } = await load();
    electron.ipcRenderer.invoke.mockResolvedValue({ ok: true, result: 'x' });
    await expect(api.invoke('system.info', { a: 1 })).resolves.toEqual({ ok: true, result: 'x' });
    expect(electron.ipcRenderer.invoke).toHaveBeenCalledWith('portcullis:call:system.info', { a: 1 });
  });

  it('turns a channel with no handler into an unknown_method envelope', async () => {
    const { api } = await load();
    electron.ipcRenderer.invoke.mockRejectedValue(new Error("No handler registered for 'portcullis:call:nope'"));
    await expect(api.invoke('nope', {})).resolves.toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    await expect(api.invoke({ toString: () => 'x' }, {})).resolves.toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    expect(electron.ipcRenderer.invoke).toHaveBeenCalledTimes(1);
  });

  it('hands subscribers the payload only, never Electron\'s event object', async () => {
    const { api } = await load();
    const seen: unknown[][] = [];
    const off = api.on('server.changed', (...args: unknown[]) => seen.push(args));
    const electronEvent = { sender: 'ipcRenderer', senderId: 0, ports: [] };
    electron.ipcRenderer.emit('portcullis:event', electronEvent, 'server.changed', { name: 'a' });
    electron.ipcRenderer.emit('portcullis:event', electronEvent, 'server.removed', { name: 'b' });
    expect(seen).toEqual([[{ name: 'a' }]]);
    off();
    electron.ipcRenderer.emit('portcullis:event', electronEvent, 'server.changed', { name: 'c' });
    expect(seen).toHaveLength(1);
    expect(electron.ipcRenderer.listenerCount('portcullis:event')).toBe(0);
    expect(() => api.on('server.changed', 'not a function')).toThrow(TypeError);
  });
});

describe('the built preload', () => {
  it('requires nothing but electron, so it runs in the sandbox', () => {
    resetFakeElectron();
    expect(builtPreload().required).toEqual(['electron']);
  });
});

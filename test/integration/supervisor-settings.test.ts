import { describe, expect, it } from 'vitest';
import { startTestEngine } from '../helpers/engine.js';

describe('supervisor settings and adding from profiles, through the contract', { timeout: 90_000 }, () => {
  it('changes only the setting given, persists it, and refuses unknown values by name', async () => {
    const engine = await startTestEngine();
    expect(await engine.call('servers.settings', {})).toEqual({ onQuit: 'stop', orphans: 'adopt' });
    expect(await engine.call('servers.updateSettings', { orphans: 'stop' })).toEqual({ onQuit: 'stop', orphans: 'stop' });
    expect(await engine.call('servers.updateSettings', { onQuit: 'leave' })).toEqual({ onQuit: 'leave', orphans: 'stop' });
    await expect(engine.call('servers.updateSettings', { onQuit: 'maybe' as 'stop' })).rejects.toMatchObject({
      code: 'invalid_args',
      field: 'onQuit',
      message: expect.stringContaining('"stop" or "leave"'),
    });
    expect(await engine.call('servers.settings', {})).toEqual({ onQuit: 'leave', orphans: 'stop' });
  });

  it('a profile fills the definition; what is missing is named', async () => {
    const engine = await startTestEngine();
    const view = await engine.call('servers.add', { name: 'llm', profile: 'vllm', args: ['Qwen/Qwen2.5-0.5B'], port: 8100 });
    expect(view.definition).toMatchObject({
      command: 'vllm',
      args: ['serve', '--host', '127.0.0.1', '--port', '{port}', 'Qwen/Qwen2.5-0.5B'],
      port: 8100,
      health: { path: '/health', intervalMs: 5_000 },
      profile: 'vllm',
    });
    expect(view.port).toBe(8100);
    const defaults = await engine.call('servers.add', { name: 'ol', profile: 'ollama' });
    expect(defaults.definition).toMatchObject({ env: { OLLAMA_HOST: '127.0.0.1:{port}' }, port: 11434 });
    await expect(engine.call('servers.add', { name: 'x', profile: 'generic' })).rejects.toMatchObject({ field: 'command' });
    await expect(engine.call('servers.add', { name: 'y' })).rejects.toMatchObject({ field: 'command', message: expect.stringContaining('or choose a profile') });
    await expect(engine.call('servers.add', { name: 'z', command: 'x', restart: { delayMs: 5_000, maxDelayMs: 1_000 } })).rejects.toMatchObject({
      field: 'restart.maxDelayMs',
    });
  });
});

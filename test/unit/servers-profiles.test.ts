import { describe, expect, it } from 'vitest';
import { auditLogPath, fromProfile, profileById, profiles, requireProfile, tokenArgs, upstreamAuthHeader } from '../../main/core/profiles/index.js';

describe('server profiles (DESIGN.md, "Server profiles")', () => {
  it('has every server the design names, each with a loopback bind', () => {
    expect(profiles.map((p) => p.id)).toEqual(['picochat-web', 'picochat-serve', 'palinode-api', 'palinode-mcp', 'picarones', 'jupyter', 'ollama', 'llama-cpp', 'vllm', 'generic']);
    for (const p of profiles.filter((x) => x.id !== 'generic')) {
      const forced = [...p.args, ...Object.values(p.env)].join(' ');
      expect(forced, p.id).toContain('127.0.0.1');
      expect(forced, p.id).toContain('{port}');
    }
  });

  it('knows each default port, health path and token variable', () => {
    const facts = Object.fromEntries(profiles.map((p) => [p.id, [p.defaultPort, p.healthPath, p.tokenEnv]]));
    expect(facts).toMatchObject({
      'picochat-web': [8765, '/healthz', 'PICOCHAT_AUTH_TOKEN'],
      'palinode-api': [6340, '/health', 'PALINODE_API_TOKEN'],
      'palinode-mcp': [6341, '/healthz', 'PALINODE_API_TOKEN'],
      picarones: [8000, '/health', null],
      jupyter: [8888, '/api', 'JUPYTER_TOKEN'],
      ollama: [11434, '/api/version', null],
      'llama-cpp': [8080, '/health', null],
      vllm: [8000, '/health', 'VLLM_API_KEY'],
    });
    expect(profileById('palinode-api')?.healthPath).not.toBe('/health/watcher');
  });

  it('gives the header an upstream token travels in', () => {
    const t = 'T0K';
    expect(upstreamAuthHeader(requireProfile('jupyter'), t)).toEqual({ header: 'authorization', value: 'token T0K' });
    expect(upstreamAuthHeader(requireProfile('palinode-api'), t)).toEqual({ header: 'authorization', value: 'Bearer T0K' });
    expect(upstreamAuthHeader(requireProfile('vllm'), t)).toEqual({ header: 'authorization', value: 'Bearer T0K' });
    expect(upstreamAuthHeader(requireProfile('picochat-web'), t)).toEqual({ header: 'x-picochat-token', value: 'T0K' });
    expect(upstreamAuthHeader(requireProfile('ollama'), t)).toBeNull();
  });

  it('pico serve names the variable on argv, never the token', () => {
    const serve = requireProfile('picochat-serve');
    expect(tokenArgs(serve, { PICOCHAT_API_KEY: 'secret' })).toEqual(['--api-key-env', 'PICOCHAT_API_KEY']);
    expect(tokenArgs(serve, {})).toEqual([]);
    expect(tokenArgs(requireProfile('jupyter'), { JUPYTER_TOKEN: 'x' })).toEqual([]);
  });

  it("finds the servers' own audit logs", () => {
    const web = fromProfile(requireProfile('picochat-web'), { args: ['--runs-dir', '/data/runs'] });
    expect(auditLogPath({ ...web, cwd: undefined })).toBe('/data/runs/.audit/audit.jsonl');
    const rel = fromProfile(requireProfile('picochat-web'), { args: ['--runs-dir=runs'] });
    expect(auditLogPath({ ...rel, cwd: '/home/u' })).toBe('/home/u/runs/.audit/audit.jsonl');
    const mcp = fromProfile(requireProfile('palinode-mcp'), { env: { PALINODE_DIR: '/srv/palinode' } });
    expect(auditLogPath({ ...mcp, cwd: undefined })).toBe('/srv/palinode/.audit/mcp-calls.jsonl');
    expect(auditLogPath({ ...fromProfile(requireProfile('jupyter'), {}), cwd: undefined })).toBeNull();
  });

  it('fills a definition: the user\'s arguments follow the profile\'s, the port stays a placeholder', () => {
    expect(fromProfile(requireProfile('llama-cpp'), { args: ['-m', 'model.gguf'], port: 9000 })).toEqual({
      command: 'llama-server',
      args: ['--host', '127.0.0.1', '--port', '{port}', '-m', 'model.gguf'],
      env: {},
      port: 9000,
      health: { path: '/health' },
      profile: 'llama-cpp',
    });
    expect(() => fromProfile(requireProfile('generic'), {})).toThrow(/needs the command/);
    expect(() => requireProfile('nope')).toThrow(/unknown profile "nope"; choose one of: picochat-web/);
  });
});

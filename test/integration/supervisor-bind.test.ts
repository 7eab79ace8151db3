import { describe, expect, it } from 'vitest';
import { fromProfile, requireProfile } from '../../main/core/profiles/index.js';
import { fixture } from '../helpers/paths.js';
import { freePort } from '../helpers/ports.js';
import { waitFor } from '../helpers/wait.js';
import { definition, harness } from './supervisor-helpers.js';

describe('supervisor: ports and the bind check', { timeout: 90_000 }, () => {
  it('flags a server told 127.0.0.1 that listens on 0.0.0.0, with a warning and an audit record', async () => {
    const h = harness();
    const port = await freePort();
    h.supervisor.define(definition({ name: 'leaky', command: process.execPath, args: [fixture('bind-any.mjs'), '--host', '127.0.0.1', '--port', String(port)], port }));
    const runtime = h.supervisor.byName('leaky');
    await runtime.start();
    const view = await waitFor(() => (runtime.view().bindWarning ? runtime.view() : undefined), 20_000, 'bind warning');
    expect(view.listening).toEqual([{ address: '0.0.0.0', port, pid: view.pid, loopback: false }]);
    expect(view.bindWarning).toContain(`leaky listens on 0.0.0.0:${port}, beyond loopback`);
    const record = h.audits.find((a) => a.action === 'server.bind-warning');
    expect(record).toMatchObject({ kind: 'server', server: 'leaky', outcome: 'error', params: { listening: [`0.0.0.0:${port}`] } });
  });

  it('shows the loopback socket of a well-behaved server without a warning', async () => {
    const h = harness();
    const port = await freePort();
    h.supervisor.define(definition({ name: 'good', command: process.execPath, args: [fixture('http-server.mjs'), '--port', String(port)], port, health: { path: '/healthz', intervalMs: 300 } }));
    const runtime = h.supervisor.byName('good');
    await runtime.start();
    const view = await waitFor(() => (runtime.view().listening.length > 0 ? runtime.view() : undefined), 20_000, 'listening');
    expect(view.listening).toEqual([{ address: '127.0.0.1', port, pid: view.pid, loopback: true }]);
    expect(view.bindWarning).toBeNull();
  });

  it("palinode's MCP server binds 0.0.0.0 by default; its profile's variable keeps it on loopback", async () => {
    const h = harness();
    const bare = await freePort();
    const viaProfile = await freePort();
    h.supervisor.define(definition({ name: 'mcp-bare', command: process.execPath, args: [fixture('palinode-like.mjs'), '--mcp'], env: { PALINODE_MCP_HTTP_PORT: String(bare) }, port: bare }));
    const filled = fromProfile(requireProfile('palinode-mcp'), { command: process.execPath, args: [fixture('palinode-like.mjs'), '--mcp'], port: viaProfile });
    h.supervisor.define(definition({ name: 'mcp-profile', ...filled, health: { path: '/healthz', intervalMs: 300 } }));
    await h.supervisor.byName('mcp-bare').start();
    await h.supervisor.byName('mcp-profile').start();
    const bad = await waitFor(() => h.supervisor.byName('mcp-bare').view().bindWarning ?? undefined, 20_000, 'warning');
    expect(bad).toContain(`0.0.0.0:${bare}`);
    const good = await waitFor(() => {
      const v = h.supervisor.byName('mcp-profile').view();
      return v.health.status === 'healthy' && v.listening.length > 0 ? v : undefined;
    }, 20_000, 'profile server healthy');
    expect(good.listening.map((s) => `${s.address}:${s.port}`)).toEqual([`127.0.0.1:${viaProfile}`]);
    expect(good.bindWarning).toBeNull();
  });

  it('refuses to start on a taken port and says which process holds it, or picks a free one with autoPort', async () => {
    const h = harness();
    const port = await freePort();
    h.supervisor.define(definition({ name: 'holder', command: process.execPath, args: [fixture('http-server.mjs'), '--port', String(port)], port, health: { path: '/healthz', intervalMs: 300 } }));
    await h.supervisor.byName('holder').start();
    const holderPid = h.supervisor.byName('holder').view().pid;
    await waitFor(() => h.supervisor.byName('holder').view().health.status === 'healthy', 20_000, 'holder healthy');

    h.supervisor.define(definition({ name: 'second', command: process.execPath, args: [fixture('http-server.mjs'), '--port', '{port}'], port }));
    await expect(h.supervisor.byName('second').start()).rejects.toThrow(`port ${port} is already in use by pid ${holderPid} (`);
    expect(h.supervisor.byName('second').view()).toMatchObject({ state: 'failed', pid: null });
    expect(h.restarts).toEqual([]);

    h.supervisor.define(definition({ name: 'flexible', command: process.execPath, args: [fixture('http-server.mjs'), '--port', '{port}'], port, autoPort: true, health: { path: '/healthz', intervalMs: 300 } }));
    const flexible = h.supervisor.byName('flexible');
    await flexible.start();
    const chosen = flexible.view().port as number;
    expect(chosen).not.toBe(port);
    await waitFor(() => flexible.view().health.status === 'healthy', 20_000, 'healthy on the chosen port');
    expect(flexible.logTail(20).some((l) => l.text.includes(`using free port ${chosen} instead`))).toBe(true);
  });
});

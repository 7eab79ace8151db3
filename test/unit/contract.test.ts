import { describe, expect, it } from 'vitest';
import { methods, type CallContext, type Handlers } from '../../main/core/api.js';
import { createDispatch } from '../../main/core/dispatch.js';
import { serverDefinitionInput } from '../../main/core/contract/servers.js';

const ctx: CallContext = { actor: { kind: 'cli', user: 'test' } };

/** Handlers that record what reached them, so the tests see what validation let through. */
function recordingHandlers(seen: unknown[]): Handlers {
  const entries = Object.keys(methods).map((name) => [
    name,
    async (args: unknown) => {
      seen.push({ name, args });
      return { echoed: args };
    },
  ]);
  return Object.fromEntries(entries) as unknown as Handlers;
}

describe('the contract dispatcher', () => {
  it('refuses an unknown method without calling anything', async () => {
    const seen: unknown[] = [];
    const dispatch = createDispatch(recordingHandlers(seen), () => undefined);
    const reply = await dispatch('servers.explode', {}, ctx);
    expect(reply).toEqual({ ok: false, error: { code: 'unknown_method', message: 'unknown method: "servers.explode"' } });
    expect(await dispatch({ toString: () => 'x' }, {}, ctx)).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    // Inherited object keys are not methods.
    expect(await dispatch('constructor', {}, ctx)).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    expect(seen).toEqual([]);
  });

  it('refuses malformed arguments with a message naming the field', async () => {
    const seen: unknown[] = [];
    const dispatch = createDispatch(recordingHandlers(seen), () => undefined);
    const reply = await dispatch('servers.start', { name: 42 }, ctx);
    expect(reply.ok).toBe(false);
    if (!reply.ok) {
      expect(reply.error.code).toBe('invalid_args');
      expect(reply.error.field).toBe('name');
    }
    expect(await dispatch('servers.list', 'not an object', ctx)).toMatchObject({ ok: false, error: { code: 'invalid_args' } });
    expect(seen).toEqual([]);
  });

  it('hands validated arguments, defaults filled in, to the handler', async () => {
    const seen: unknown[] = [];
    const dispatch = createDispatch(recordingHandlers(seen), () => undefined);
    const reply = await dispatch('servers.add', { name: 'web', command: 'node', port: 8080 }, ctx);
    expect(reply.ok).toBe(true);
    expect(seen).toMatchObject([
      { name: 'servers.add', args: { name: 'web', command: 'node', port: 8080, args: [], env: {}, stopTimeoutMs: 10_000 } },
    ]);
  });

  it('turns an unexpected handler failure into a generic error and reports it privately', async () => {
    const reported: unknown[] = [];
    const handlers = recordingHandlers([]);
    handlers['servers.list'] = async () => {
      throw new Error('ENOENT /home/alice/secret-path');
    };
    const dispatch = createDispatch(handlers, (err) => reported.push(err));
    const reply = await dispatch('servers.list', {}, ctx);
    expect(reply).toEqual({ ok: false, error: { code: 'internal', message: 'internal error: see the Portcullis log for details' } });
    expect(reported).toHaveLength(1);
  });
});

describe('server definitions', () => {
  // The definition as stored; `servers.add` may fill parts in from a profile first.
  const add = serverDefinitionInput;
  const refusal = (input: unknown) => {
    const result = add.safeParse(input);
    if (result.success) throw new Error(`accepted ${JSON.stringify(input)}`);
    return { path: result.error.issues[0]?.path.join('.'), message: result.error.issues[0]?.message };
  };

  it.each([
    [{ name: '', command: 'x' }, 'name', /name must not be empty/],
    [{ name: 'has space', command: 'x' }, 'name', /letters, digits/],
    [{ name: 'a', command: 'x', port: 0 }, 'port', /between 1 and 65535/],
    [{ name: 'a', command: 'x', port: 65536 }, 'port', /between 1 and 65535/],
    [{ name: 'a', command: 'x', port: 80.5 }, 'port', /whole number/],
    [{ name: 'a' }, 'command', /command is required/],
    [{ name: 'a', command: '  ' }, 'command', /command must not be empty/],
    [{ name: 'a', command: 'x', health: { path: '/h' } }, 'port', /port is required when a health check is set/],
    [{ name: 'a', command: 'x', port: 1, health: { path: 'h' } }, 'health.path', /start with "\/"/],
  ])('refuses %j at %s', (input, path, message) => {
    const r = refusal(input);
    expect(r.path).toBe(path);
    expect(r.message).toMatch(message);
  });

  it('refuses an environment name containing "="', () => {
    const result = add.safeParse({ name: 'a', command: 'x', env: { 'A=B': '1' } });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain('cannot contain \\"=\\"');
  });
});

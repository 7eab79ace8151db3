import { cleanup } from './cleanup.js';
import type { ArgsOf, CallContext, MethodName, ResultOf } from '../../main/core/api.js';
import { startEngine, type Engine } from '../../main/core/engine.js';
import type { Clipboard, Keychain } from '../../main/core/ports.js';
import { openConfBackend } from '../../main/core/settings/conf-backend.js';
import { tempDir } from './tmp.js';

export interface TestEngine extends Engine {
  /** Calls the contract like a face does; throws the error shape's message on refusal. */
  call<M extends MethodName>(method: M, args: ArgsOf<M>): Promise<ResultOf<M>>;
}

const ctx: CallContext = { actor: { kind: 'cli', user: 'test' } };

/**
 * A real engine on a temporary home, closed after the file's tests. Without a keychain, token
 * actions are refused as they would be on a machine with none (see keyring.ts for the real one).
 */
export async function startTestEngine(home = tempDir(), platform: { keychain?: Keychain; clipboard?: Clipboard } = {}): Promise<TestEngine> {
  const engine = await startEngine({ home, face: 'test', version: 'test', openSettings: openConfBackend, log: () => undefined, ...platform });
  cleanup(() => engine.close());
  return {
    ...engine,
    async call(method, args) {
      const reply = await engine.panel.dispatch(method, args, ctx);
      if (!reply.ok) throw Object.assign(new Error(reply.error.message), reply.error);
      return reply.result as never;
    },
  };
}

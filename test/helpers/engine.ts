import { cleanup } from './cleanup.js';
import type { ArgsOf, CallContext, MethodName, ResultOf } from '../../main/core/api.js';
import { startEngine, type Engine } from '../../main/core/engine.js';
import { openConfBackend } from '../../main/core/settings/conf-backend.js';
import { tempDir } from './tmp.js';

export interface TestEngine extends Engine {
  /** Calls the contract like a face does; throws the error shape's message on refusal. */
  call<M extends MethodName>(method: M, args: ArgsOf<M>): Promise<ResultOf<M>>;
}

const ctx: CallContext = { actor: { kind: 'cli', user: 'test' } };

/** A real engine on a temporary home, closed after the file's tests. */
export async function startTestEngine(home = tempDir()): Promise<TestEngine> {
  const engine = await startEngine({ home, face: 'test', version: 'test', openSettings: openConfBackend, log: () => undefined });
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

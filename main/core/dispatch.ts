import { methods, type CallContext, type Handlers, type MethodName } from './api.js';
import type { Envelope } from './contract/errors.js';
import { PortcullisError, fromZod, toErrorShape } from './errors.js';

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(methods, name);
}

export type Dispatch = (method: unknown, args: unknown, ctx: CallContext) => Promise<Envelope<unknown>>;

/**
 * The one entry every transport calls: unknown methods and malformed arguments are refused
 * here, before any handler runs, and no failure escapes as a thrown error.
 */
export function createDispatch(handlers: Handlers, onInternalError: (err: unknown) => void): Dispatch {
  return async (name, rawArgs, ctx) => {
    try {
      if (!isMethodName(name)) {
        throw new PortcullisError('unknown_method', `unknown method: ${describe(name)}`);
      }
      const parsed = methods[name].args.safeParse(rawArgs ?? {});
      if (!parsed.success) throw fromZod(parsed.error);
      const handler = handlers[name] as (a: unknown, c: CallContext) => Promise<unknown>;
      return { ok: true, result: await handler(parsed.data, ctx) };
    } catch (err) {
      if (!(err instanceof PortcullisError)) onInternalError(err);
      return { ok: false, error: toErrorShape(err) };
    }
  };
}

function describe(name: unknown): string {
  if (typeof name !== 'string') return `(a ${typeof name}, expected a method name)`;
  // Never echo arbitrary input at length.
  return JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name);
}

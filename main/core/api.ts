/**
 * The contract: every method and event any face may use, one row each. Transports are generic
 * over these tables, so a feature is a row here, its handler in core, and its UI.
 * The renderer imports only types from this file.
 */
import type { z } from 'zod';
import { auditEvents, auditMethods } from './contract/audit.js';
import type { EventRow, MethodRow, Returns } from './contract/define.js';
import { desktopEvents, desktopMethods } from './contract/desktop.js';
import { exposureEvents, exposureMethods } from './contract/exposure.js';
import { serverEvents, serverMethods } from './contract/servers.js';
import { systemEvents, systemMethods } from './contract/system.js';
import { tokenEvents, tokenMethods } from './contract/tokens.js';

export const methods = {
  ...serverMethods,
  ...auditMethods,
  ...systemMethods,
  ...tokenMethods,
  ...desktopMethods,
  ...exposureMethods,
} satisfies Record<string, MethodRow<z.ZodType, unknown>>;

export const events = {
  ...serverEvents,
  ...auditEvents,
  ...systemEvents,
  ...tokenEvents,
  ...desktopEvents,
  ...exposureEvents,
} satisfies Record<string, EventRow<unknown>>;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type EventName = keyof typeof events;

/** What a caller sends (defaults may be left out). */
export type ArgsOf<M extends MethodName> = z.input<Methods[M]['args']>;
/** What a handler receives after validation (defaults filled in). */
export type ParsedArgsOf<M extends MethodName> = z.output<Methods[M]['args']>;
export type ResultOf<M extends MethodName> = Methods[M]['result'] extends Returns<infer R> ? R : never;
export type PayloadOf<E extends EventName> = (typeof events)[E]['payload'] extends Returns<infer P> ? P : never;

/** Who asked: recorded with every state change. */
export type Actor =
  | { kind: 'desktop'; user: string }
  | { kind: 'cli'; user: string }
  | { kind: 'browser'; address: string }
  | { kind: 'system' };

export interface CallContext {
  actor: Actor;
}

export type Handlers = {
  [M in MethodName]: (args: ParsedArgsOf<M>, ctx: CallContext) => Promise<ResultOf<M>>;
};

/** The face-side view of the contract: `window.portcullis` and the web bridge both satisfy it. */
export interface RawBridge {
  invoke(method: string, args: unknown): Promise<Envelope<unknown>>;
  /** Subscribe to one event; returns the unsubscribe function. */
  on(event: string, callback: (payload: unknown) => void): () => void;
}

export type EventMessage = { [E in EventName]: { event: E; payload: PayloadOf<E> } }[EventName];

export type { Envelope, ErrorCode, ErrorShape } from './contract/errors.js';
export type * from './contract/servers.js';
export type * from './contract/audit.js';
export type * from './contract/system.js';
export type * from './contract/tokens.js';
export type * from './contract/desktop.js';
export type * from './contract/exposure.js';
import type { Envelope } from './contract/errors.js';

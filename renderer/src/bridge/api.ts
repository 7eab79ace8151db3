import type { ArgsOf, ErrorShape, EventName, MethodName, PayloadOf, RawBridge, ResultOf } from '../../../main/core/api';
import { takeSessionToken } from './session-token';
import { createWebBridge } from './web-bridge';

declare global {
  interface Window {
    portcullis?: RawBridge;
  }
}

export class ApiError extends Error {
  constructor(readonly shape: ErrorShape) {
    super(shape.message);
  }
}

/** The renderer's typed view of the contract; it cannot tell the desktop from the browser. */
export interface Api {
  call<M extends MethodName>(method: M, args: ArgsOf<M>): Promise<ResultOf<M>>;
  on<E extends EventName>(event: E, callback: (payload: PayloadOf<E>) => void): () => void;
  /** Transport state: only the web bridge ever disconnects. */
  onConnection(callback: (connected: boolean) => void): () => void;
}

function pickBridge(): RawBridge {
  if (window.portcullis) return window.portcullis;
  const token = takeSessionToken();
  if (!token) throw new Error('Open the address `portcullis serve` printed: it carries the session token after #token=.');
  return createWebBridge(token);
}

export function createApi(): Api {
  const bridge = pickBridge();
  return {
    async call(method, args) {
      const envelope = await bridge.invoke(method, args);
      if (!envelope.ok) throw new ApiError(envelope.error);
      return envelope.result as never;
    },
    on(event, callback) {
      return bridge.on(event, callback as (payload: unknown) => void);
    },
    onConnection(callback) {
      const a = bridge.on('bridge.connected', () => callback(true));
      const b = bridge.on('bridge.disconnected', () => callback(false));
      return () => {
        a();
        b();
      };
    },
  };
}

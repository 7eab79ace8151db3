import { contextBridge, ipcRenderer } from 'electron';

const CALL_PREFIX = 'portcullis:call:';
const EVENT_CHANNEL = 'portcullis:event';

/**
 * The renderer's only door: invoke(method, args) and on(event, callback). Electron's event
 * object never crosses, so the page cannot reach ipcRenderer or the sender.
 */
contextBridge.exposeInMainWorld('portcullis', {
  invoke: (method: unknown, args: unknown): Promise<unknown> => {
    if (typeof method !== 'string' || method.length > 100) {
      return Promise.resolve({ ok: false, error: { code: 'unknown_method', message: 'method must be a name' } });
    }
    // A method with no handler is answered like any other refusal, not as a thrown IPC error.
    return ipcRenderer
      .invoke(CALL_PREFIX + method, args)
      .catch(() => ({ ok: false, error: { code: 'unknown_method', message: `unknown method: ${method}` } }));
  },
  on: (event: unknown, callback: unknown): (() => void) => {
    if (typeof event !== 'string' || typeof callback !== 'function') throw new TypeError('on(event: string, callback: function)');
    const listener = (_e: unknown, name: string, payload: unknown): void => {
      if (name === event) (callback as (p: unknown) => void)(payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, listener);
    return () => void ipcRenderer.removeListener(EVENT_CHANNEL, listener);
  },
});

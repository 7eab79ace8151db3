import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { methods, type Actor } from '../core/api.js';
import type { Envelope } from '../core/contract/errors.js';
import type { Dispatch } from '../core/dispatch.js';
import type { EventBus } from '../core/events.js';

export const callChannel = (method: string): string => `portcullis:call:${method}`;
export const EVENT_CHANNEL = 'portcullis:event';

/**
 * One `ipcMain.handle` per contract row, all alike: check the sender, then hand the raw
 * arguments to the dispatcher, which validates them. No per-method code lives here.
 */
export function registerIpc(options: {
  dispatch: Dispatch;
  trusted: (event: IpcMainInvokeEvent) => boolean;
  actor: Actor;
}): () => void {
  const names = Object.keys(methods);
  for (const name of names) {
    ipcMain.handle(callChannel(name), async (event, args: unknown): Promise<Envelope<unknown>> => {
      if (!options.trusted(event)) {
        return { ok: false, error: { code: 'forbidden', message: 'calls are accepted only from the Portcullis window' } };
      }
      return options.dispatch(name, args, { actor: options.actor });
    });
  }
  return () => names.forEach((name) => ipcMain.removeHandler(callChannel(name)));
}

/** Every engine event goes to the window; the preload hands each to its subscribers. */
export function forwardEvents(bus: EventBus, contents: () => WebContents | null): () => void {
  return bus.subscribe((event, payload) => {
    const target = contents();
    if (target && !target.isDestroyed()) target.send(EVENT_CHANNEL, event, payload);
  });
}

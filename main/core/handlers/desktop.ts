import type { Handlers } from '../api.js';
import type { EventBus } from '../events.js';
import type { Settings } from '../settings/store.js';

type DesktopHandlers = Pick<Handlers, 'desktop.get' | 'desktop.update'>;

/**
 * The setting lives in core so every face can read and change it; only the desktop shell
 * acts on it (login items are an OS matter), by listening for `desktop.changed`.
 */
export function desktopHandlers(deps: { settings: Settings; bus: EventBus }): DesktopHandlers {
  const { settings, bus } = deps;
  return {
    'desktop.get': async () => settings.get().desktop,
    'desktop.update': async ({ openAtLogin }) => {
      const { desktop } = settings.update((draft) => {
        draft.desktop.openAtLogin = openAtLogin;
      });
      bus.emit('desktop.changed', desktop);
      return desktop;
    },
  };
}

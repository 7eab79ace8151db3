import type { Handlers } from '../api.js';
import type { EventBus } from '../events.js';
import type { Settings } from '../settings/store.js';
import type { AuditPort } from '../ports.js';

type DesktopHandlers = Pick<Handlers, 'desktop.get' | 'desktop.update'>;

/**
 * The setting lives in core so every face can read and change it; only the desktop shell
 * acts on it (login items are an OS matter), by listening for `desktop.changed`.
 */
export function desktopHandlers(deps: { settings: Settings; bus: EventBus; audit: AuditPort }): DesktopHandlers {
  const { settings, bus, audit } = deps;
  return {
    'desktop.get': async () => settings.get().desktop,
    'desktop.update': async (change, ctx) => {
      const from = settings.get().desktop;
      const { desktop } = settings.update((draft) => {
        if (change.openAtLogin !== undefined) draft.desktop.openAtLogin = change.openAtLogin;
        if (change.closeToTray !== undefined) draft.desktop.closeToTray = change.closeToTray;
      });
      await audit.record({ kind: 'control', actor: ctx.actor, action: 'settings.change', outcome: 'ok', params: { key: 'desktop' }, from, to: desktop });
      bus.emit('desktop.changed', desktop);
      return desktop;
    },
  };
}

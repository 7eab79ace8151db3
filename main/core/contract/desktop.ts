import { z } from 'zod';
import { event, method, returns } from './define.js';

/** The desktop app's OS integration, stored in settings as `desktop`. */
export const desktopSection = z.object({
  /** Off until the user turns it on: Portcullis never registers itself to start on its own. */
  openAtLogin: z.boolean({ error: 'openAtLogin must be true or false' }).default(false),
  /** Closing the window leaves Portcullis (and its servers) running in the tray. */
  closeToTray: z.boolean({ error: 'closeToTray must be true or false' }).default(true),
});

export type DesktopSettings = z.output<typeof desktopSection>;

export const desktopMethods = {
  'desktop.get': method(z.object({}), returns<DesktopSettings>(), 'The desktop app\'s OS integration settings.'),
  'desktop.update': method(
    z
      .strictObject({
        openAtLogin: z.boolean({ error: 'openAtLogin must be true or false' }).optional(),
        closeToTray: z.boolean({ error: 'closeToTray must be true or false' }).optional(),
      })
      .refine((d) => d.openAtLogin !== undefined || d.closeToTray !== undefined, 'give openAtLogin or closeToTray'),
    returns<DesktopSettings>(),
    'Turn start-at-login or close-to-tray on or off; the desktop app applies it at once.',
  ),
};

export const desktopEvents = {
  'desktop.changed': event<DesktopSettings>('The desktop settings changed; the desktop app applies them to the OS.'),
};

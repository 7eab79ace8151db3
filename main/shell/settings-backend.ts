import Store from 'electron-store';
import type { SettingsBackend } from '../core/settings/store.js';

/** The desktop app's settings: electron-store over the same file and schema as `serve`. */
export function openElectronStore(home: string): SettingsBackend {
  return new Store<Record<string, unknown>>({
    cwd: home,
    name: 'config',
    clearInvalidConfig: false,
    accessPropertiesByDotNotation: false,
    configFileMode: 0o600,
  });
}

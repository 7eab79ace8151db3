import Conf from 'conf';
import type { SettingsBackend } from './store.js';

/** The settings backend of `portcullis serve` and tests; the desktop app uses electron-store. */
export function openConfBackend(home: string): SettingsBackend {
  return new Conf<Record<string, unknown>>({
    cwd: home,
    configName: 'config',
    projectName: 'portcullis',
    clearInvalidConfig: false,
    accessPropertiesByDotNotation: false,
    configFileMode: 0o600,
  });
}

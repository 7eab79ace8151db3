import { z } from 'zod';
import { event, method, returns } from './define.js';

export type Face = 'desktop' | 'serve' | 'test';

export interface SystemInfo {
  version: string;
  face: Face;
  home: string;
  settingsPath: string;
  pid: number;
  /** Things the user must know about, such as a settings file that was moved aside. */
  warnings: string[];
}

export const systemMethods = {
  'system.info': method(z.object({}), returns<SystemInfo>(), 'What this Portcullis is and anything it must warn about.'),
};

export const systemEvents = {
  'system.warning': event<{ message: string }>('Something the user must know about happened.'),
};

import { z } from 'zod';
import { serverDefinition } from '../contract/servers.js';
import { tokensSection } from '../secrets/records.js';
import { desktopSection } from '../contract/desktop.js';
import { auditSection } from '../audit/settings-section.js';
import { supervisorSection } from '../servers/settings-section.js';
import { exposureSection } from '../gateway/settings-section.js';

/**
 * Everything Portcullis persists, one schema for the desktop app (electron-store) and for
 * `portcullis serve` and tests (conf). Secrets never appear here. Each capability adds its own
 * section with defaults, so an older file still parses.
 */
export const settingsSchema = z.object({
  version: z.literal(1).default(1),
  servers: z.array(serverDefinition).default([]),
  /** Token metadata and hashes; the secrets themselves live only in the OS keychain. */
  tokens: tokensSection.default({ client: [], upstream: [] }),
  /** The desktop app's OS integration; start at login only after the user turns it on. */
  desktop: desktopSection.default({ openAtLogin: false, closeToTray: true }),
  /** Journal rotation and retention, and the servers' own audit files to tail. */
  audit: auditSection.prefault({}),
  /** What quitting does to servers, and what a start does with servers a crashed Portcullis left. */
  supervisor: supervisorSection.default({ onQuit: 'stop', orphans: 'adopt' }),
  /** The gateway's remembered binds and ports; every server starts local regardless. */
  exposure: exposureSection.prefault({}),
});

export type SettingsData = z.output<typeof settingsSchema>;

export const defaultSettings = (): SettingsData => settingsSchema.parse({});

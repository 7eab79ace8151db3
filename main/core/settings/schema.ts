import { z } from 'zod';
import { serverDefinition } from '../contract/servers.js';

/**
 * Everything Portcullis persists, one schema for the desktop app (electron-store) and for
 * `portcullis serve` and tests (conf). Secrets never appear here. Each capability adds its own
 * section with defaults, so an older file still parses.
 */
export const settingsSchema = z.object({
  version: z.literal(1).default(1),
  servers: z.array(serverDefinition).default([]),
});

export type SettingsData = z.output<typeof settingsSchema>;

export const defaultSettings = (): SettingsData => settingsSchema.parse({});

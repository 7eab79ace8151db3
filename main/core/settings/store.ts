import { PortcullisError, fromZod } from '../errors.js';
import { settingsSchema, type SettingsData } from './schema.js';

/**
 * What the core needs of a persistent store. conf and electron-store both satisfy it as they
 * are: `store` reads the whole document and assigning it writes the file atomically.
 */
export interface SettingsBackend {
  readonly path: string;
  store: Record<string, unknown>;
}

/** Validated settings: a change is checked whole and written whole, or not at all. */
export class Settings {
  private data: SettingsData;

  constructor(private readonly backend: SettingsBackend) {
    const parsed = settingsSchema.safeParse(backend.store);
    if (!parsed.success) throw fromZod(parsed.error, 'settings');
    this.data = parsed.data;
    backend.store = parsed.data as unknown as Record<string, unknown>;
  }

  get path(): string {
    return this.backend.path;
  }

  get(): SettingsData {
    return structuredClone(this.data);
  }

  update(change: (draft: SettingsData) => void): SettingsData {
    const draft = structuredClone(this.data);
    change(draft);
    const parsed = settingsSchema.safeParse(draft);
    if (!parsed.success) throw fromZod(parsed.error, 'settings');
    try {
      this.backend.store = parsed.data as unknown as Record<string, unknown>;
    } catch (err) {
      throw new PortcullisError(
        'failed',
        `could not save settings to ${this.backend.path}: ${(err as Error).message}. Nothing was changed; check the disk and the file's permissions.`,
      );
    }
    this.data = parsed.data;
    return this.get();
  }
}

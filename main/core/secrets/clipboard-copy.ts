import type { Clipboard } from '../ports.js';

export const CLIPBOARD_CLEAR_MS = 30_000;

/**
 * Puts secrets on the clipboard and takes each off after 30 s (or when Portcullis closes),
 * unless the user has copied something else since: theirs is left alone.
 */
export class ClipboardCopier {
  private readonly pending = new Map<NodeJS.Timeout, string>();

  constructor(
    private readonly clipboard: Clipboard,
    readonly clearAfterMs = CLIPBOARD_CLEAR_MS,
  ) {}

  async copy(secret: string): Promise<void> {
    await this.clipboard.writeText(secret);
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      void this.clearIfStill(secret).catch(() => undefined);
    }, this.clearAfterMs);
    timer.unref();
    this.pending.set(timer, secret);
  }

  async close(): Promise<void> {
    const secrets = [...this.pending.entries()];
    this.pending.clear();
    for (const [timer, secret] of secrets) {
      clearTimeout(timer);
      await this.clearIfStill(secret).catch(() => undefined);
    }
  }

  private async clearIfStill(secret: string): Promise<void> {
    if ((await this.clipboard.readText()) === secret) await this.clipboard.writeText('');
  }
}

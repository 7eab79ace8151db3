import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Clipboard } from '../../main/core/ports.js';
import { ClipboardCopier } from '../../main/core/secrets/clipboard-copy.js';

/** A clipboard that behaves like Electron 45's: one text, replaced by each write, asynchronous. */
class MemoryClipboard implements Clipboard {
  text = '';
  async writeText(text: string): Promise<void> {
    this.text = text;
  }
  async readText(): Promise<string> {
    return this.text;
  }
}

describe('copying a token', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('clears the clipboard after 30 s if it still holds the token', async () => {
    const clipboard = new MemoryClipboard();
    const copier = new ClipboardCopier(clipboard);
    await copier.copy('pcs_secret');
    expect(clipboard.text).toBe('pcs_secret');
    await vi.advanceTimersByTimeAsync(29_999);
    expect(clipboard.text).toBe('pcs_secret');
    await vi.advanceTimersByTimeAsync(1);
    expect(clipboard.text).toBe('');
  });

  it('leaves alone what the user copied since', async () => {
    const clipboard = new MemoryClipboard();
    const copier = new ClipboardCopier(clipboard);
    await copier.copy('pcs_secret');
    await clipboard.writeText('my notes');
    await vi.advanceTimersByTimeAsync(30_000);
    expect(clipboard.text).toBe('my notes');
  });

  it('clears on close when Portcullis quits before the 30 s', async () => {
    const clipboard = new MemoryClipboard();
    const copier = new ClipboardCopier(clipboard);
    await copier.copy('pcs_secret');
    await copier.close();
    expect(clipboard.text).toBe('');
  });
});

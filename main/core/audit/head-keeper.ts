import type { Keychain } from '../ports.js';
import { readHead, writeHead, type Head } from './head-store.js';
import { lineHashAt } from './seek.js';

/**
 * Keeps the journal's head in the keychain. At start the stored head is compared with the
 * journal first: if the journal no longer holds it, the stored head is the evidence and is
 * never overwritten (nor is it when it could not be compared at all).
 */
export class HeadKeeper {
  private stored: Head | null = null;
  private frozen = false;
  private storeFailed = false;
  private checked: Promise<void> = Promise.resolve();

  constructor(
    private readonly keychain: Keychain | null,
    private readonly homeId: string,
    private readonly dir: string,
    private readonly log: (message: string, err?: unknown) => void,
  ) {}

  /** Starts the comparison in the background: a keychain waiting to be unlocked must not hold up writing. */
  check(end: Head, onMismatch: (stored: Head) => void): void {
    this.checked = this.compare(end)
      .then((mismatch) => {
        if (mismatch) onMismatch(mismatch);
      })
      .catch((err: unknown) => {
        this.frozen = true;
        this.log('audit: could not compare the journal with the keychain head', err);
      });
  }

  whenChecked(): Promise<void> {
    return this.checked;
  }

  /** Copies the head to the keychain, if it changed and may be written. */
  async store(head: Head): Promise<void> {
    await this.checked;
    if (!this.keychain || this.frozen || head.seq === 0) return;
    if (this.stored?.seq === head.seq && this.stored.hash === head.hash) return;
    try {
      await writeHead(this.keychain, this.homeId, head);
      this.stored = head;
    } catch (err) {
      // Said once per run, not every minute.
      if (!this.storeFailed) this.log(`audit: cannot store the journal's head in the keychain (${(err as Error).message})`);
      this.storeFailed = true;
    }
  }

  /**
   * The user's deliberate acceptance of the journal as it now is (after a mismatch was
   * reported and recorded): the keychain takes the current head and keeping resumes.
   */
  async reanchor(head: Head): Promise<void> {
    await this.checked;
    if (!this.keychain) throw new Error('no keychain to keep the head in');
    await writeHead(this.keychain, this.homeId, head);
    this.stored = head;
    this.frozen = false;
  }

  private async compare(end: Head): Promise<Head | null> {
    if (!this.keychain) return null;
    let stored: Head | null;
    try {
      stored = await readHead(this.keychain, this.homeId);
    } catch (err) {
      // Not a start-up warning: without a keychain nothing can be exposed, and verify says the head went unchecked.
      // Not compared means not overwritten either: this run leaves the stored head as it was.
      this.frozen = true;
      this.log(`audit: the keychain cannot be read, so the journal's head is not kept there this run (${(err as Error).message})`);
      return null;
    }
    this.stored = stored;
    if (!stored) return null;
    const actual = stored.seq === end.seq ? end.hash : stored.seq > 0 ? await lineHashAt(this.dir, stored.seq) : null;
    if (actual === stored.hash) return null;
    this.frozen = true;
    return stored;
  }
}

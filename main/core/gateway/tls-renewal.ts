import { BackgroundPoll } from './background-poll.js';
import { tlsStamp, type TlsFiles } from './tls.js';

/**
 * Notices a certificate renewed in place (certbot and `tailscale cert` rewrite the same
 * files) by the files' modification times, while any HTTPS listener is open. Each new stamp
 * is reported once: a renewal that turns out unusable is not retried every minute.
 */
export class TlsRenewal {
  private readonly poll: BackgroundPoll;
  private seen: string | null = null;

  constructor(
    private readonly files: () => TlsFiles | null,
    intervalMs: number,
    /** The files changed since they were last looked at. */
    private readonly onChange: () => void,
  ) {
    this.poll = new BackgroundPoll(intervalMs, () => this.check());
  }

  /** Watches while `current` is the stamp open HTTPS listeners serve; stops when there is none. */
  sync(current: string | null): void {
    if (current === null) {
      this.stop();
      return;
    }
    if (this.poll.running) return;
    this.seen = current;
    this.poll.start();
  }

  stop(): void {
    this.poll.stop();
  }

  private check(): void {
    const files = this.files();
    if (!files) return;
    let stamp: string;
    try {
      stamp = tlsStamp(files);
    } catch {
      return; // Mid-renewal, or moved away: the open listeners keep what they have.
    }
    if (stamp === this.seen) return;
    this.seen = stamp;
    this.onChange();
  }
}

/**
 * A check repeated while a listener needs it (a renewed certificate, an address leaving): one
 * interval, started on demand and stopped when nothing is left to watch. Unref'd, so it never
 * keeps a quitting process alive.
 */
export class BackgroundPoll {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly intervalMs: number,
    private readonly tick: () => void,
  ) {}

  get running(): boolean {
    return this.timer !== null;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(this.tick, this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

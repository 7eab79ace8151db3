import type { AuditSourceView, ServerAuditLine } from '../contract/audit.js';
import { FileTail, type TailState } from './file-tail.js';
import { normalizeLine } from './normalize.js';

export interface AuditSource {
  server: string;
  path: string;
  origin: AuditSourceView['origin'];
}

interface Followed {
  source: AuditSource;
  tail: FileTail;
  status: { state: TailState; detail: string | null };
}

/**
 * The servers' own audit files, tailed side by side: the last lines of each are kept in
 * memory for the faces and new ones announced as they come.
 */
export class ServerAuditLogs {
  private readonly followed = new Map<string, Followed>();
  private readonly lines: ServerAuditLine[] = [];
  private n = 0;

  constructor(
    private readonly onLines: (lines: ServerAuditLine[]) => void,
    private readonly options: { keep?: number; pollMs?: number } = {},
  ) {}

  /** Follows exactly these sources: new ones start, changed ones restart, missing ones stop. */
  sync(sources: AuditSource[]): void {
    const wanted = new Map(sources.map((s) => [s.server, s]));
    for (const [server, f] of this.followed) {
      const next = wanted.get(server);
      if (!next || next.path !== f.source.path) {
        void f.tail.stop();
        this.followed.delete(server);
      } else f.source = next;
    }
    for (const source of sources) {
      if (this.followed.has(source.server)) continue;
      const status: Followed['status'] = { state: 'waiting', detail: null };
      const tail = new FileTail({
        path: source.path,
        pollMs: this.options.pollMs,
        onLines: (raw) => this.add(source, raw),
        onState: (state, detail) => Object.assign(status, { state, detail }),
      });
      this.followed.set(source.server, { source, tail, status });
      tail.start();
    }
  }

  sources(): AuditSourceView[] {
    return [...this.followed.values()].map((f) => ({ ...f.source, ...f.status }));
  }

  recent(server: string | undefined, limit: number): ServerAuditLine[] {
    const mine = server === undefined ? this.lines : this.lines.filter((l) => l.server === server);
    return mine.slice(-limit);
  }

  async close(): Promise<void> {
    await Promise.all([...this.followed.values()].map((f) => f.tail.stop()));
    this.followed.clear();
  }

  private add(source: AuditSource, raw: string[]): void {
    const lines = raw.map((line) => normalizeLine(source.server, source.path, ++this.n, line));
    this.lines.push(...lines);
    const keep = this.options.keep ?? 5_000;
    if (this.lines.length > keep) this.lines.splice(0, this.lines.length - keep);
    this.onLines(lines);
  }
}

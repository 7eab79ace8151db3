import type { LogLine, ServerDefinition, ServerView } from '../contract/servers.js';
import { PortcullisError } from '../errors.js';
import type { HealthMonitorFactory } from '../health/monitor.js';
import { ServerRuntime } from './server-runtime.js';

export interface SupervisorOptions {
  monitor: HealthMonitorFactory;
  onChange: (view: ServerView) => void;
  onLog: (name: string, lines: LogLine[]) => void;
  ringSize?: number;
  logBatchMs?: number;
}

/** Owns every server's runtime; definitions come from settings, through the panel. */
export class Supervisor {
  private readonly runtimes = new Map<string, ServerRuntime>();

  constructor(private readonly options: SupervisorOptions) {}

  load(definitions: ServerDefinition[]): void {
    for (const def of definitions) this.define(def);
  }

  define(definition: ServerDefinition): ServerView {
    const existing = this.runtimes.get(definition.id);
    if (existing) {
      existing.redefine(definition);
      return existing.view();
    }
    const runtime = new ServerRuntime(definition, {
      monitor: this.options.monitor,
      onChange: this.options.onChange,
      onLog: this.options.onLog,
      ringSize: this.options.ringSize ?? 10_000,
      logBatchMs: this.options.logBatchMs ?? 100,
    });
    this.runtimes.set(definition.id, runtime);
    return runtime.view();
  }

  list(): ServerView[] {
    return [...this.runtimes.values()].map((r) => r.view());
  }

  byName(name: string): ServerRuntime {
    for (const runtime of this.runtimes.values()) if (runtime.name === name) return runtime;
    throw new PortcullisError('not_found', `no server named "${name}". See the names with \`portcullis ls\`.`, 'name');
  }

  async remove(id: string): Promise<void> {
    const runtime = this.runtimes.get(id);
    if (!runtime) return;
    await runtime.stop();
    this.runtimes.delete(id);
  }

  /** Stops every server (quitting Portcullis): all at once, each with its own timeout. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.runtimes.values()].map((r) => r.stop()));
  }
}

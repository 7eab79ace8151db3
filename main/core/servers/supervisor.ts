import type { LatencyPoint, LogLine, RestartEvent, ServerDefinition, ServerView } from '../contract/servers.js';
import { PortcullisError } from '../errors.js';
import type { HealthMonitorFactory } from '../health/monitor.js';
import type { AuditOutcome, AuditPort, KnownSecrets } from '../ports.js';
import { ChildRecords } from './child-records.js';
import { RotatingLog } from './log-files.js';
import { recoverChildren, type OrphanPolicy, type RecoveryReport } from './recover.js';
import { ServerRuntime } from './server-runtime.js';

export interface SupervisorOptions {
  monitor: HealthMonitorFactory;
  onChange: (view: ServerView) => void;
  onLog: (name: string, lines: LogLine[]) => void;
  /** Every automatic restart, with its delay and reason. */
  onRestart?: (event: RestartEvent) => void;
  /** Every token Portcullis holds for a server: redacted from its output before anything keeps it. */
  knownSecrets?: KnownSecrets;
  /** Per-start environment added by other modules (a server's own token), never stored in settings. */
  extraEnv?: (serverId: string) => Record<string, string> | Promise<Record<string, string>>;
  /** Where crashes, restarts, give-ups, bind warnings and re-adoptions are recorded. */
  audit?: AuditPort;
  /** `<home>/children.json`: the pid, group and start time of every running child. */
  childrenFile?: string | null;
  /** `<home>/logs`: rotating files per server; null keeps logs in memory only. */
  logDir?: string | null;
  logFileBytes?: number;
  logFiles?: number;
  ringSize?: number;
  logBatchMs?: number;
  bindCheckMs?: number;
  adoptPollMs?: number;
  /** Where the supervisor's own failures go (an audit record that could not be written). */
  log?: (message: string, err?: unknown) => void;
}

/** Owns every server's runtime; definitions come from settings, through the panel. */
export class Supervisor {
  private readonly runtimes = new Map<string, ServerRuntime>();
  private readonly records: ChildRecords;

  constructor(private readonly options: SupervisorOptions) {
    this.records = new ChildRecords(options.childrenFile ?? null, (err) => options.log?.('could not write the record of running servers (children.json)', err));
  }

  load(definitions: ServerDefinition[]): void {
    for (const def of definitions) this.define(def);
  }

  define(definition: ServerDefinition): ServerView {
    const existing = this.runtimes.get(definition.id);
    if (existing) {
      existing.redefine(definition);
      return existing.view();
    }
    const o = this.options;
    const id = definition.id;
    const runtime = new ServerRuntime(definition, {
      monitor: o.monitor,
      onChange: o.onChange,
      onLog: o.onLog,
      onRestart: (event) => o.onRestart?.(event),
      audit: (record) => this.audit({ ...record, server: definition.name }),
      secrets: () => o.knownSecrets?.(id) ?? [],
      extraEnv: () => o.extraEnv?.(id) ?? {},
      records: this.records,
      logFile: o.logDir ? new RotatingLog(o.logDir, definition.name, o.logFileBytes, o.logFiles) : null,
      ringSize: o.ringSize ?? 10_000,
      logBatchMs: o.logBatchMs ?? 100,
      bindCheckMs: o.bindCheckMs ?? 5_000,
      adoptPollMs: o.adoptPollMs ?? 250,
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

  byId(id: string): ServerRuntime | undefined {
    return this.runtimes.get(id);
  }

  latency(name: string): LatencyPoint[] {
    return this.byName(name).latency();
  }

  async remove(id: string): Promise<void> {
    const runtime = this.runtimes.get(id);
    if (!runtime) return;
    await runtime.stop();
    runtime.dispose();
    this.runtimes.delete(id);
  }

  /**
   * At engine start: what an earlier Portcullis left running (it died: SIGKILL, power loss) is
   * re-adopted or stopped, per the orphan policy, and recorded. Call after `load`.
   */
  async recover(policy: OrphanPolicy, stopTimeoutMs = 10_000): Promise<RecoveryReport> {
    // One turn later: the composition root finishes wiring (secrets, audit) before an adopted
    // server's first log line asks for them.
    await new Promise((resolve) => setImmediate(resolve));
    return recoverChildren({
      leftovers: this.records.readLeftovers(),
      policy,
      stopTimeoutMs,
      runtime: (id) => this.runtimes.get(id),
      records: this.records,
      audit: (entry) => this.audit(entry),
    });
  }

  /** Stops every server (quitting Portcullis): all at once, each with its own timeout. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.runtimes.values()].map((r) => r.stop()));
  }

  /** Quitting with "leave running": servers keep running and the next start re-adopts them. */
  detachAll(): void {
    for (const runtime of this.runtimes.values()) runtime.detach();
  }

  private audit(entry: { action: string; outcome: AuditOutcome; server?: string; reason?: string; params?: Record<string, unknown> }): void {
    const port = this.options.audit;
    if (!port) return;
    port.record({ kind: 'server', actor: { kind: 'system' }, ...entry }).catch((err: unknown) => this.options.log?.('could not write an audit record', err));
  }
}

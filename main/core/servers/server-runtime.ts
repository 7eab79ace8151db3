import { homedir } from 'node:os';
import type {
  ExitView,
  HealthView,
  LatencyPoint,
  ListeningSocket,
  LogLine,
  ProgressView,
  RestartEvent,
  ServerDefinition,
  ServerState,
  ServerView,
} from '../contract/servers.js';
import { restartOf } from '../contract/servers.js';
import { PortcullisError } from '../errors.js';
import { bindWarning } from '../health/bind-check.js';
import type { HealthMonitor, HealthMonitorFactory } from '../health/monitor.js';
import { unknownHealth } from '../health/monitor.js';
import { listeningSockets } from '../health/sockets.js';
import { profileById, tokenArgs } from '../profiles/index.js';
import type { AuditEntry } from '../ports.js';
import { adoptProcess, spawnProcess, type ExitInfo, type RunningProcess } from './child.js';
import type { ChildRecord, ChildRecords } from './child-records.js';
import { anyFreePort, checkEnv, describePortInUse, portFree, withPort } from './launch-checks.js';
import type { RotatingLog } from './log-files.js';
import { groupAlive, signalGroup, terminateGroup } from './process-group.js';
import { groupMembers } from './proc.js';
import { parseProgress } from './progress.js';
import { checkCwd, resolveCommand } from './resolve-command.js';
import { RestartTracker, formatMs } from './restart-policy.js';
import { ServerLogs } from './server-logs.js';

/** A server record for the audit journal (kind `server`, actor `system`), filled in by the supervisor. */
export type ServerAuditRecord = Pick<AuditEntry, 'action' | 'outcome' | 'reason' | 'params'>;

export interface RuntimeDeps {
  monitor: HealthMonitorFactory;
  onChange: (view: ServerView) => void;
  onLog: (name: string, lines: LogLine[]) => void;
  onRestart: (event: RestartEvent) => void;
  audit: (record: ServerAuditRecord) => void;
  secrets: () => readonly string[];
  /** Variables added at each start (a server's own token, read from the keychain). */
  extraEnv: () => Record<string, string> | Promise<Record<string, string>>;
  records: ChildRecords;
  logFile: RotatingLog | null;
  ringSize: number;
  logBatchMs: number;
  /** How often the listening sockets are read again while it runs. */
  bindCheckMs: number;
  /** How often an adopted process (not our child) is checked for life. */
  adoptPollMs: number;
}

/** One server's process and everything known about it: state, restarts, health, sockets, logs. */
export class ServerRuntime {
  private state: ServerState = 'stopped';
  private proc: RunningProcess | null = null;
  private exitDone: Promise<void> = Promise.resolve();
  private startedAtMs: number | null = null;
  private port: number | null = null;
  private health: HealthView = unknownHealth();
  private lastExit: ExitView | null = null;
  private monitor: HealthMonitor | null = null;
  private lastHistory: LatencyPoint[] = [];
  private stopRequested = false;
  private healthKill: string | null = null;
  private tracker: RestartTracker;
  private retryTimer: NodeJS.Timeout | null = null;
  private nextStartAt: string | null = null;
  private progress: ProgressView | null = null;
  private progressDirty = false;
  private listening: ListeningSocket[] = [];
  private warning: string | null = null;
  private bindTimer: NodeJS.Timeout | null = null;
  private adopted = false;
  /** Between a start's first check and its spawn: a second start then is refused, not doubled. */
  private launching = false;
  private readonly logs: ServerLogs;

  constructor(
    private definition: ServerDefinition,
    private readonly deps: RuntimeDeps,
  ) {
    this.tracker = new RestartTracker(restartOf(definition));
    this.logs = new ServerLogs({
      ringSize: deps.ringSize,
      batchMs: deps.logBatchMs,
      secrets: deps.secrets,
      file: deps.logFile,
      onBatch: (lines) => {
        deps.onLog(this.name, lines);
        if (this.progressDirty) {
          this.progressDirty = false;
          this.emit();
        }
      },
      onLine: (line) => this.readProgress(line),
    });
  }

  get name(): string {
    return this.definition.name;
  }

  get id(): string {
    return this.definition.id;
  }

  get active(): boolean {
    return this.launching || this.state === 'starting' || this.state === 'running' || this.state === 'stopping';
  }

  view(): ServerView {
    return {
      id: this.definition.id,
      name: this.definition.name,
      definition: structuredClone(this.definition),
      state: this.state,
      pid: this.proc?.pid ?? null,
      startedAt: this.startedAtMs === null || !this.proc ? null : new Date(this.startedAtMs).toISOString(),
      health: { ...this.health },
      lastExit: this.lastExit ? { ...this.lastExit } : null,
      kind: this.definition.kind ?? 'server',
      port: this.port ?? this.definition.port ?? null,
      restarts: this.tracker.restarts,
      nextStartAt: this.nextStartAt,
      progress: this.progress ? { ...this.progress } : null,
      listening: this.listening.map((s) => ({ ...s })),
      bindWarning: this.warning,
      adopted: this.adopted,
    };
  }

  logTail(tail: number): LogLine[] {
    return this.logs.tail(tail);
  }

  latency(): LatencyPoint[] {
    return this.monitor?.history?.() ?? [...this.lastHistory];
  }

  /** A start by the user: forgets earlier restarts and the start limit. */
  async start(): Promise<void> {
    if (this.active) {
      throw new PortcullisError('conflict', `${this.name} is already ${this.state}; stop it first or restart it.`);
    }
    this.cancelRetry();
    this.tracker.reset();
    await this.launch();
  }

  /** Clears `failed` (start limit, backoff) and starts again; on a running server, only clears the counters. */
  async reset(): Promise<void> {
    this.cancelRetry();
    this.tracker.reset();
    if (this.active) {
      this.emit();
      return;
    }
    await this.launch();
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async stop(): Promise<void> {
    this.cancelRetry();
    const proc = this.proc;
    if (!proc) {
      if (this.state === 'backoff' || this.state === 'failed') this.setState('stopped');
      return;
    }
    if (this.state !== 'stopping') {
      this.stopRequested = true;
      this.setState('stopping');
      const timeout = this.definition.stopTimeoutMs;
      await terminateGroup(proc.pgid, timeout, () =>
        this.system(`still running ${formatMs(timeout)} after SIGTERM; sending SIGKILL to its process group`),
      );
      await this.exitDone;
      if (!this.proc) this.setState('stopped');
      return;
    }
    await this.exitDone;
  }

  /**
   * Replaces the definition. While the process runs only what applies to the running process
   * may change (restart policy, stop timeout): the rest would silently wait for a restart.
   */
  redefine(definition: ServerDefinition): void {
    this.checkRedefine(definition);
    this.definition = definition;
    this.tracker = this.tracker.withSettings(restartOf(definition));
    this.emit();
  }

  /** Throws what `redefine` would refuse, so a caller can check before persisting. */
  checkRedefine(definition: ServerDefinition): void {
    if (this.active) {
      const changed = launchFieldsChanged(this.definition, definition);
      if (changed.length > 0) {
        throw new PortcullisError(
          'conflict',
          `${this.name} is ${this.state}; stop it before changing ${changed.join(', ')} (the restart policy and stop timeout can change while it runs).`,
          changed[0],
        );
      }
    }
  }

  /** Watches a process an earlier Portcullis started and left running. */
  adopt(record: ChildRecord, pollMs = this.deps.adoptPollMs): void {
    const proc = adoptProcess(record.pid, record.pgid, record.startTime, pollMs);
    this.adopted = true;
    this.port = record.port;
    this.attach(proc, Date.parse(record.startedAt) || Date.now());
    this.deps.records.set(record);
    this.system(`re-adopted pid ${record.pid}, still running from before Portcullis last stopped; its output since then is not captured (restart it to see its logs again)`);
  }

  /** Quitting with "leave running": stop watching, keep the record so the next start re-adopts it. */
  detach(): void {
    this.cancelRetry();
    this.stopWatching();
    this.proc?.detach();
    this.logs.close();
  }

  /** Forgetting the server: its logs are flushed and the file closed. */
  dispose(): void {
    this.cancelRetry();
    this.logs.close();
  }

  private async launch(): Promise<void> {
    this.launching = true;
    try {
      await this.launchNow();
    } finally {
      this.launching = false;
    }
  }

  private async launchNow(): Promise<void> {
    const def = this.definition;
    this.stopRequested = false;
    this.healthKill = null;
    this.adopted = false;
    let port = def.port;
    let spec;
    try {
      const cwd = def.cwd ?? homedir();
      checkCwd(cwd);
      if (port !== undefined && !(await portFree(port))) {
        if (!def.autoPort) throw new PortcullisError('failed', `${describePortInUse(port)}. Stop that process or choose another port for ${def.name}.`, 'port');
        const busy = port;
        port = await anyFreePort();
        this.system(`${describePortInUse(busy)}; using free port ${port} instead`);
      }
      const ownEnv = Object.fromEntries(Object.entries(def.env).map(([k, v]) => [k, withPort(v, port)]));
      const extra = await this.deps.extraEnv();
      checkEnv({ ...ownEnv, ...extra });
      const env: NodeJS.ProcessEnv = { ...process.env, ...ownEnv, ...extra };
      const executable = resolveCommand(def.command, cwd, env);
      const profile = def.profile ? profileById(def.profile) : undefined;
      const args = [...def.args.map((a) => withPort(a, port)), ...tokenArgs(profile, env)];
      spec = { executable, args, cwd, env };
    } catch (err) {
      this.fail(err instanceof Error ? err.message : String(err));
      throw err;
    }
    let proc: RunningProcess;
    try {
      proc = await spawnProcess({ ...spec, onLine: (stream, text) => this.logs.append(stream, text) });
    } catch (err) {
      this.fail((err as Error).message);
      throw err;
    }
    this.port = port ?? null;
    this.tracker.noteStart();
    this.progress = null;
    this.lastExit = null;
    const now = Date.now();
    this.deps.records.set({
      serverId: def.id,
      name: def.name,
      pid: proc.pid,
      pgid: proc.pgid,
      startTime: proc.startTime,
      startedAt: new Date(now).toISOString(),
      port: this.port,
    });
    this.attach(proc, now);
    this.system(`started pid ${proc.pid}: ${[def.command, ...spec.args].join(' ')}`);
  }

  /** Begins watching a process: exit, health, sockets. */
  private attach(proc: RunningProcess, startedAtMs: number): void {
    const def = this.definition;
    this.proc = proc;
    this.startedAtMs = startedAtMs;
    this.health = unknownHealth();
    this.listening = [];
    this.warning = null;
    this.nextStartAt = null;
    this.exitDone = proc.exit.then((info) => this.onExit(proc, info));
    this.setState(def.health ? 'starting' : 'running');
    if (def.health && this.port !== null) {
      this.monitor = this.deps.monitor({ port: this.port, ...def.health }, (health) => this.onHealth(health));
    }
    this.scheduleBindCheck(Math.min(500, this.deps.bindCheckMs));
  }

  private onExit(proc: RunningProcess, info: ExitInfo): void {
    if (this.proc !== proc) return;
    const def = this.definition;
    const requested = this.stopRequested;
    const healthKill = this.healthKill;
    this.stopWatching();
    this.proc = null;
    this.deps.records.delete(def.id);
    const durationMs = this.startedAtMs === null ? null : Date.now() - this.startedAtMs;
    const how = !info.known ? 'exited (its exit status is unknown: it was adopted)' : info.signal ? `killed by ${info.signal}` : `exited with code ${info.code}`;
    const clean = info.known && info.code === 0 && !healthKill;
    this.health = { ...unknownHealth(), version: this.health.version };
    if (!requested && groupAlive(proc.pgid)) {
      // The leader died but left children behind: they would hold the port and the GPU.
      signalGroup(proc.pgid, 'SIGKILL');
    }
    const at = new Date().toISOString();
    const reason = requested ? `stopped on request (${how})` : healthKill ? `${healthKill} (${how})` : how;
    this.lastExit = { code: info.code, signal: info.signal, at, reason, durationMs };
    this.system(`pid ${proc.pid} ${how}`);
    this.logs.flush();
    this.adopted = false;
    // stop() says `stopped` once the whole group is gone, not when the leader is.
    if (requested) return;

    const job = (def.kind ?? 'server') === 'job';
    if (!clean) this.deps.audit({ action: 'server.crash', outcome: 'error', reason, params: { pid: proc.pid, code: info.code, signal: info.signal } });
    const decision = this.tracker.decide({ clean, uptimeMs: durationMs ?? 0 });
    if (decision.kind === 'none') {
      return this.setState(clean ? (job ? 'succeeded' : 'stopped') : 'failed');
    }
    if (decision.kind === 'give-up') {
      this.lastExit = { ...this.lastExit, reason: `${decision.reason}; last exit: ${reason}` };
      this.system(`${decision.reason}: giving up until reset`);
      this.deps.audit({ action: 'server.failed', outcome: 'error', reason: this.lastExit.reason });
      const cooldown = restartOf(def).cooldownMs;
      if (cooldown !== undefined) this.scheduleRetry(cooldown, () => this.tracker.reset());
      return this.setState('failed');
    }
    const event: RestartEvent = { name: def.name, attempt: decision.attempt, delayMs: decision.delayMs, reason, at };
    this.system(`restarting in ${formatMs(decision.delayMs)} (attempt ${decision.attempt}) after: ${reason}`);
    this.deps.audit({ action: 'server.restart', outcome: 'ok', reason, params: { attempt: decision.attempt, delayMs: decision.delayMs } });
    this.scheduleRetry(decision.delayMs);
    this.setState('backoff');
    this.deps.onRestart(event);
  }

  private scheduleRetry(delayMs: number, before?: () => void): void {
    this.cancelRetry();
    this.nextStartAt = new Date(Date.now() + delayMs).toISOString();
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.nextStartAt = null;
      before?.();
      // A failed launch has already set `failed` with its reason.
      this.launch().catch(() => undefined);
    }, delayMs);
  }

  private cancelRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.nextStartAt = null;
  }

  private onHealth(health: HealthView): void {
    if (!this.proc || this.state === 'stopping') return;
    const wasHealthy = this.health.status === 'healthy';
    this.health = health;
    if (this.state === 'starting' && health.status === 'healthy') this.state = 'running';
    if (!wasHealthy && health.status === 'healthy') this.checkBind();
    const limit = this.definition.health?.restartAfterFailures;
    if (limit !== undefined && health.failures >= limit && !this.healthKill) {
      this.healthKill = `unhealthy: ${health.failures} failed health checks in a row`;
      this.system(`${this.healthKill}; restarting it`);
      const proc = this.proc;
      void terminateGroup(proc.pgid, this.definition.stopTimeoutMs);
    }
    this.emit();
  }

  private fail(reason: string): void {
    this.lastExit = { code: null, signal: null, at: new Date().toISOString(), reason, durationMs: null };
    this.system(reason);
    this.logs.flush();
    this.deps.audit({ action: 'server.failed', outcome: 'error', reason });
    this.setState('failed');
  }

  private readProgress(line: LogLine): void {
    if ((this.definition.kind ?? 'server') !== 'job') return;
    const found = parseProgress(line.text);
    if (!found) return;
    this.progress = { ...found, at: line.ts };
    this.progressDirty = true;
  }

  private scheduleBindCheck(delayMs: number): void {
    if (this.bindTimer) clearTimeout(this.bindTimer);
    this.bindTimer = setTimeout(() => {
      this.bindTimer = null;
      if (!this.proc) return;
      this.checkBind();
      this.scheduleBindCheck(this.deps.bindCheckMs);
    }, delayMs);
  }

  /** Reads the sockets the whole process group listens on; warns once per run about non-loopback ones. */
  private checkBind(): void {
    const proc = this.proc;
    if (!proc) return;
    const pids = new Set([proc.pid, ...groupMembers(proc.pgid).map((m) => m.pid)]);
    let sockets: ListeningSocket[];
    try {
      sockets = listeningSockets([...pids]);
    } catch {
      return;
    }
    const key = (list: ListeningSocket[]): string => list.map((s) => `${s.address}:${s.port}`).sort().join(',');
    if (key(sockets) === key(this.listening)) return;
    this.listening = sockets;
    const warning = bindWarning(this.name, sockets);
    if (warning && warning !== this.warning) {
      this.system(`warning: ${warning}`);
      this.deps.audit({ action: 'server.bind-warning', outcome: 'error', reason: warning, params: { listening: sockets.map((s) => `${s.address}:${s.port}`) } });
    }
    this.warning = warning;
    this.emit();
  }

  private stopWatching(): void {
    if (this.monitor) {
      this.lastHistory = this.monitor.history?.() ?? [];
      this.monitor.stop();
    }
    this.monitor = null;
    if (this.bindTimer) clearTimeout(this.bindTimer);
    this.bindTimer = null;
  }

  private system(text: string): void {
    this.logs.append('system', text);
  }

  private setState(state: ServerState): void {
    this.state = state;
    this.emit();
  }

  private emit(): void {
    this.deps.onChange(this.view());
  }
}

/** Fields that shape how the process is launched or watched: they change only while stopped. */
const LAUNCH_FIELDS = ['command', 'args', 'cwd', 'env', 'port', 'autoPort', 'health', 'kind', 'profile'] as const;

function launchFieldsChanged(a: ServerDefinition, b: ServerDefinition): string[] {
  return LAUNCH_FIELDS.filter((f) => JSON.stringify(a[f] ?? null) !== JSON.stringify(b[f] ?? null));
}

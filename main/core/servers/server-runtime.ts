import { spawn, type ChildProcess } from 'node:child_process';
import { homedir } from 'node:os';
import type { ExitView, HealthView, LogLine, ServerDefinition, ServerState, ServerView } from '../contract/servers.js';
import { PortcullisError } from '../errors.js';
import type { HealthMonitor, HealthMonitorFactory } from '../health/monitor.js';
import { unknownHealth } from '../health/monitor.js';
import { LineSplitter } from './line-splitter.js';
import { Ring } from './log-ring.js';
import { groupAlive, signalGroup } from './process-group.js';
import { checkCwd, resolveCommand } from './resolve-command.js';

export interface RuntimeDeps {
  monitor: HealthMonitorFactory;
  onChange: (view: ServerView) => void;
  onLog: (name: string, lines: LogLine[]) => void;
  ringSize: number;
  logBatchMs: number;
}

const GROUP_POLL_MS = 25;

/** One server's process and everything known about it: state, health, exit, logs. */
export class ServerRuntime {
  private state: ServerState = 'stopped';
  private child: ChildProcess | null = null;
  private startedAt: string | null = null;
  private health: HealthView = unknownHealth();
  private lastExit: ExitView | null = null;
  private monitor: HealthMonitor | null = null;
  private stopRequested = false;
  private exited: Promise<void> = Promise.resolve();
  private readonly ring: Ring<LogLine>;
  private seq = 0;
  private pendingLines: LogLine[] = [];
  private flushTimer: NodeJS.Timeout | null = null;

  constructor(
    private definition: ServerDefinition,
    private readonly deps: RuntimeDeps,
  ) {
    this.ring = new Ring(deps.ringSize);
  }

  get name(): string {
    return this.definition.name;
  }

  get active(): boolean {
    return this.state === 'starting' || this.state === 'running' || this.state === 'stopping';
  }

  view(): ServerView {
    return {
      id: this.definition.id,
      name: this.definition.name,
      definition: structuredClone(this.definition),
      state: this.state,
      pid: this.child?.pid ?? null,
      startedAt: this.startedAt,
      health: { ...this.health },
      lastExit: this.lastExit ? { ...this.lastExit } : null,
    };
  }

  logs(tail: number): LogLine[] {
    return this.ring.tail(tail);
  }

  async start(): Promise<void> {
    if (this.active) {
      throw new PortcullisError('conflict', `${this.name} is already ${this.state}; stop it first or restart it.`);
    }
    const def = this.definition;
    const cwd = def.cwd ?? homedir();
    const env = { ...process.env, ...def.env };
    let executable: string;
    try {
      checkCwd(cwd);
      executable = resolveCommand(def.command, cwd, env);
    } catch (err) {
      this.fail(err instanceof Error ? err.message : String(err));
      throw err;
    }

    this.stopRequested = false;
    this.health = unknownHealth();
    this.lastExit = null;
    this.startedAt = new Date().toISOString();
    // detached puts the server in its own process group: stop signals reach its children too,
    // and a Ctrl-C in the terminal running Portcullis does not hit the servers directly.
    const child = spawn(executable, def.args, {
      cwd,
      env,
      detached: true,
      shell: false,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    this.child = child;
    this.captureOutput(child);

    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (err) => {
        this.child = null;
        this.fail(`could not start ${def.command}: ${err.message}`);
        reject(new PortcullisError('failed', `could not start ${def.command}: ${err.message}`, 'command'));
      });
    });

    this.exited = new Promise((resolve) => child.once('close', (code, signal) => resolve(this.onExit(code, signal))));
    this.setState(def.health ? 'starting' : 'running');
    this.system(`started pid ${child.pid}: ${def.command} ${def.args.join(' ')}`.trim());
    if (def.health && def.port !== undefined) {
      this.monitor = this.deps.monitor({ port: def.port, ...def.health }, (health) => this.onHealth(health));
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || !this.active) return;
    if (this.state !== 'stopping') {
      this.stopRequested = true;
      this.setState('stopping');
      const pgid = child.pid as number;
      signalGroup(pgid, 'SIGTERM');
      const killTimer = setTimeout(() => {
        this.system(`still running ${this.definition.stopTimeoutMs} ms after SIGTERM; sending SIGKILL`);
        signalGroup(pgid, 'SIGKILL');
      }, this.definition.stopTimeoutMs);
      await this.exited;
      await waitForGroupExit(pgid, this.definition.stopTimeoutMs);
      clearTimeout(killTimer);
    } else {
      await this.exited;
    }
  }

  /** Replace the definition of a stopped server. */
  redefine(definition: ServerDefinition): void {
    if (this.active) throw new PortcullisError('conflict', `${this.name} is ${this.state}; stop it before changing it.`);
    this.definition = definition;
    this.emit();
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    this.monitor?.stop();
    this.monitor = null;
    const pid = this.child?.pid;
    this.child = null;
    const how = signal ? `killed by ${signal}` : `exited with code ${code}`;
    const requested = this.stopRequested;
    this.lastExit = {
      code,
      signal,
      at: new Date().toISOString(),
      reason: requested ? `stopped on request (${how})` : how,
    };
    this.system(`pid ${pid} ${how}`);
    this.flushLogs();
    this.health = { ...unknownHealth(), version: this.health.version };
    if (!requested && pid !== undefined && groupAlive(pid)) {
      // The leader died but left children behind: they would hold the port and the GPU.
      signalGroup(pid, 'SIGKILL');
    }
    this.setState(requested || code === 0 ? 'stopped' : 'crashed');
  }

  private onHealth(health: HealthView): void {
    if (!this.child) return;
    this.health = health;
    if (this.state === 'starting' && health.status === 'healthy') this.state = 'running';
    this.emit();
  }

  private fail(reason: string): void {
    this.lastExit = { code: null, signal: null, at: new Date().toISOString(), reason };
    this.system(reason);
    this.flushLogs();
    this.setState('crashed');
  }

  private captureOutput(child: ChildProcess): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      const source = child[stream];
      if (!source) continue;
      source.setEncoding('utf8');
      const splitter = new LineSplitter((text) => this.append(stream, text));
      source.on('data', (chunk: string) => splitter.push(chunk));
      source.on('end', () => splitter.flush());
    }
  }

  private system(text: string): void {
    this.append('system', text);
  }

  private append(stream: LogLine['stream'], text: string): void {
    const line: LogLine = { seq: ++this.seq, ts: new Date().toISOString(), stream, text };
    this.ring.push(line);
    this.pendingLines.push(line);
    if (this.pendingLines.length > this.deps.ringSize) this.pendingLines.splice(0, this.pendingLines.length - this.deps.ringSize);
    this.flushTimer ??= setTimeout(() => this.flushLogs(), this.deps.logBatchMs);
  }

  private flushLogs(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    if (this.pendingLines.length === 0) return;
    const lines = this.pendingLines;
    this.pendingLines = [];
    this.deps.onLog(this.name, lines);
  }

  private setState(state: ServerState): void {
    this.state = state;
    this.emit();
  }

  private emit(): void {
    this.deps.onChange(this.view());
  }
}

async function waitForGroupExit(pgid: number, limitMs: number): Promise<void> {
  const deadline = Date.now() + limitMs + 1_000;
  while (groupAlive(pgid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, GROUP_POLL_MS));
}

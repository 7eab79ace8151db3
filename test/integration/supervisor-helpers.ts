import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup } from '../helpers/cleanup.js';
import { serverDefinitionInput, type LogLine, type RestartEvent, type ServerDefinition, type ServerDefinitionInput, type ServerView } from '../../main/core/contract/servers.js';
import { startHealthMonitor } from '../../main/core/health/monitor.js';
import type { AuditEntry } from '../../main/core/ports.js';
import { Supervisor, type SupervisorOptions } from '../../main/core/servers/supervisor.js';
import { tempDir } from '../helpers/tmp.js';

export function definition(input: ServerDefinitionInput): ServerDefinition {
  return { ...serverDefinitionInput.parse(input), id: randomUUID(), createdAt: new Date().toISOString() };
}

export interface Harness {
  supervisor: Supervisor;
  home: string;
  views: ServerView[];
  lines: LogLine[];
  restarts: RestartEvent[];
  audits: AuditEntry[];
  latest(name: string): ServerView | undefined;
}

/** A real supervisor on a temporary home, recording every event it emits; stopped after the file. */
export function harness(options: Partial<SupervisorOptions> = {}): Harness {
  const home = tempDir();
  const views: ServerView[] = [];
  const lines: LogLine[] = [];
  const restarts: RestartEvent[] = [];
  const audits: AuditEntry[] = [];
  const supervisor = new Supervisor({
    monitor: startHealthMonitor,
    onChange: (v) => views.push(v),
    onLog: (_name, batch) => lines.push(...batch),
    onRestart: (e) => restarts.push(e),
    audit: { record: async (e) => void audits.push(e), access: () => undefined },
    childrenFile: join(home, 'children.json'),
    logDir: join(home, 'logs'),
    bindCheckMs: 300,
    adoptPollMs: 50,
    ...options,
  });
  cleanup(() => supervisor.stopAll());
  return {
    supervisor,
    home,
    views,
    lines,
    restarts,
    audits,
    latest: (name) => views.filter((v) => v.name === name).at(-1),
  };
}

/** Alive and not a zombie (Linux /proc). */
export function alive(pid: number): boolean {
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

import type { ChildRecord, ChildRecords } from './child-records.js';
import { terminateGroup } from './process-group.js';
import { groupMembers, pidAlive, processStartTime } from './proc.js';
import type { ServerRuntime } from './server-runtime.js';

/** What to do with servers an earlier Portcullis left running: watch them again, or stop them. */
export type OrphanPolicy = 'adopt' | 'stop';

export interface RecoveryReport {
  adopted: string[];
  stopped: string[];
  /** Recorded, but already gone (any children left of their group were killed). */
  gone: string[];
}

interface RecoveryInput {
  leftovers: ChildRecord[];
  policy: OrphanPolicy;
  stopTimeoutMs: number;
  runtime: (serverId: string) => ServerRuntime | undefined;
  records: ChildRecords;
  audit: (entry: { action: string; outcome: 'ok' | 'error'; server?: string; reason?: string; params?: Record<string, unknown> }) => void;
}

/** The same process as recorded: alive, and started when the record says (not a reused pid). */
function stillOurs(record: ChildRecord): boolean {
  if (!pidAlive(record.pid)) return false;
  return record.startTime === null || processStartTime(record.pid) === record.startTime;
}

/**
 * No orphans: every process the last Portcullis recorded is either watched again by its
 * server's runtime, or stopped (SIGTERM to its group, SIGKILL after the timeout). A leader
 * that died but left its group's children behind has those children killed.
 */
export async function recoverChildren(input: RecoveryInput): Promise<RecoveryReport> {
  const report: RecoveryReport = { adopted: [], stopped: [], gone: [] };
  const stops: Promise<void>[] = [];
  const toStop: ChildRecord[] = [];
  input.records.replaceAll([]);
  for (const record of input.leftovers) {
    const params = { pid: record.pid, pgid: record.pgid };
    if (!stillOurs(record)) {
      const started = Number(record.startTime);
      const left = groupMembers(record.pgid).filter((m) => !Number.isFinite(started) || m.startTicks >= started);
      if (left.length > 0) {
        for (const member of left) killQuietly(member.pid);
        input.audit({ action: 'server.orphans-killed', outcome: 'ok', server: record.name, reason: `its process had exited, ${left.length} child process(es) of its group were left and were killed`, params });
      }
      report.gone.push(record.name);
      continue;
    }
    const runtime = input.runtime(record.serverId);
    if (input.policy === 'adopt' && runtime && !runtime.active) {
      runtime.adopt(record);
      report.adopted.push(record.name);
      input.audit({ action: 'server.adopt', outcome: 'ok', server: record.name, reason: 'still running from before Portcullis last stopped; watched again', params });
      continue;
    }
    const why = runtime ? 'the orphan policy is "stop"' : 'its server is no longer defined';
    toStop.push(record);
    report.stopped.push(record.name);
    stops.push(
      terminateGroup(record.pgid, runtime?.view().definition.stopTimeoutMs ?? input.stopTimeoutMs).then(() => {
        input.records.delete(record.serverId);
        input.audit({ action: 'server.orphan-stopped', outcome: 'ok', server: record.name, reason: `still running from before Portcullis last stopped; stopped because ${why}`, params });
      }),
    );
  }
  // Until they are gone, the ones being stopped stay listed: a crash now must not lose them.
  for (const record of toStop) input.records.set(record);
  await Promise.all(stops);
  return report;
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

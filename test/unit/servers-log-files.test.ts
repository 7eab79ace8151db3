import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChildRecords } from '../../main/core/servers/child-records.js';
import { RotatingLog } from '../../main/core/servers/log-files.js';
import { ServerLogs } from '../../main/core/servers/server-logs.js';
import { tempDir } from '../helpers/tmp.js';

describe('log files and child records', () => {
  it('rotates at the size limit on line boundaries and keeps `files` generations', () => {
    const dir = tempDir();
    const log = new RotatingLog(dir, 'web', 1_000, 3);
    const line = (i: number): string => `${String(i).padStart(4, '0')} ${'x'.repeat(94)}\n`; // 100 bytes
    let text = '';
    for (let i = 0; i < 45; i++) text += line(i);
    log.write(text);
    log.close();
    expect(readdirSync(dir).sort()).toEqual(['web.log', 'web.log.1', 'web.log.2']);
    for (const f of readdirSync(dir)) expect(statSync(join(dir, f)).size).toBeLessThanOrEqual(1_000);
    // Newest in web.log, the 10 before in .1, the 10 before those in .2; older ones dropped.
    expect(readFileSync(join(dir, 'web.log'), 'utf8').split('\n')[0]).toMatch(/^0040 /);
    expect(readFileSync(join(dir, 'web.log.2'), 'utf8').split('\n')[0]).toMatch(/^0020 /);
    expect(statSync(join(dir, 'web.log')).mode & 0o777).toBe(0o600);
  });

  it('a line that cannot be checked against the known secrets is withheld, not stored', () => {
    const stored: string[] = [];
    const logs = new ServerLogs({
      ringSize: 10,
      batchMs: 10,
      secrets: () => {
        throw new Error('keychain gone');
      },
      file: null,
      onBatch: (lines) => stored.push(...lines.map((l) => l.text)),
    });
    logs.append('stdout', 'my token is hunter2-hunter2');
    logs.flush();
    expect(stored).toEqual(['‹line withheld: the known secrets could not be read›']);
  });

  it('child records are rewritten whole, private, and an unreadable file reads as empty', () => {
    const dir = tempDir();
    const file = join(dir, 'children.json');
    const records = new ChildRecords(file);
    const rec = { serverId: 'a', name: 'web', pid: 10, pgid: 10, startTime: '123', startedAt: new Date(0).toISOString(), port: 8000 };
    records.set(rec);
    records.set({ ...rec, serverId: 'b', name: 'job', pid: 11, pgid: 11 });
    records.delete('a');
    expect(new ChildRecords(file).readLeftovers().map((r) => r.name)).toEqual(['job']);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['children.json']);
    writeFileSync(file, '{not json');
    expect(new ChildRecords(file).readLeftovers()).toEqual([]);
  });
});

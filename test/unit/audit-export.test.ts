import { describe, expect, it } from 'vitest';
import { exportJournal } from '../../main/core/audit/export-text.js';
import { AuditJournal } from '../../main/core/audit/journal.js';
import { tempDir } from '../helpers/tmp.js';

describe('audit export for the faces', () => {
  it('gives matching records oldest first as JSON Lines or CSV, and says when the limit cut older ones off', async () => {
    const journal = new AuditJournal({ home: tempDir('pc-export-') });
    for (const name of ['a', 'b', 'c']) await journal.record({ kind: 'control', actor: { kind: 'cli', user: 'me' }, action: 'server.add', server: name, outcome: 'ok' });
    await journal.record({ kind: 'control', actor: { kind: 'cli', user: 'me' }, action: 'server.start', server: 'a', outcome: 'ok' });
    await journal.close();

    const jsonl = await exportJournal(journal.dir, { action: 'server.add' }, 'jsonl', 100_000);
    expect(jsonl).toMatchObject({ format: 'jsonl', count: 3, truncated: false });
    expect(jsonl.text.trim().split('\n').map((l) => (JSON.parse(l) as { server: string }).server)).toEqual(['a', 'b', 'c']);

    const csv = await exportJournal(journal.dir, {}, 'csv', 2);
    expect(csv).toMatchObject({ format: 'csv', count: 2, truncated: true });
    const [header, ...rows] = csv.text.trim().split('\n');
    expect(header).toBe('seq,ts,kind,actor,action,server,outcome,reason,params,from,to,prev');
    // The newest two, oldest first.
    expect(rows.map((r) => r.split(',')[0])).toEqual(['3', '4']);
    expect(rows[1]).toContain('cli:me,server.start,a,ok');
  });
});

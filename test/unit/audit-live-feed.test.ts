import { describe, expect, it } from 'vitest';
import { LiveFeed } from '../../main/core/audit/live-feed.js';
import type { AuditRecord } from '../../main/core/contract/audit.js';
import { waitFor } from '../helpers/wait.js';

const record = (seq: number): AuditRecord =>
  ({ seq, ts: new Date().toISOString(), kind: 'access', actor: { kind: 'client', address: '10.0.0.2' }, action: 'gateway.request', outcome: 'ok', prev: '' }) as AuditRecord;

describe('the live audit feed', () => {
  it('passes the first write on at once and the writes that follow it together, in order, with what they left out added up', async () => {
    const feed = new LiveFeed(() => undefined);
    const heard: Array<{ seqs: number[]; omitted: number }> = [];
    feed.listen((records, omitted) => heard.push({ seqs: records.map((r) => r.seq), omitted }));
    feed.add([record(1)], 0);
    expect(heard).toEqual([{ seqs: [1], omitted: 0 }]);
    // Three more writes straight after (a busy gateway): seqs 2–4 left out before 5, then 6, then 9 after 7–8.
    feed.add([record(5)], 3);
    feed.add([record(6)], 0);
    feed.add([record(9)], 2);
    expect(heard).toHaveLength(1);
    await waitFor(() => heard.length === 2, 5_000, 'the writes that followed');
    // Still one contiguous stretch: it ends at the newest seq and holds records + omitted of them.
    expect(heard[1]).toEqual({ seqs: [5, 6, 9], omitted: 5 });
    const { seqs, omitted } = heard[1] as { seqs: number[]; omitted: number };
    expect(Math.max(...seqs) - (seqs.length + omitted) + 1).toBe(2);
  });

  it('hands over what waits at once when flushed (the journal closing), and nothing when nobody listens', () => {
    const feed = new LiveFeed(() => undefined);
    feed.add([record(1)], 0);
    const heard: number[][] = [];
    const stop = feed.listen((records) => heard.push(records.map((r) => r.seq)));
    feed.add([record(2)], 0);
    feed.add([record(3)], 0);
    feed.flush();
    // 2 went at once; 3 was waiting for the interval to pass and went with the flush.
    expect(heard).toEqual([[2], [3]]);
    stop();
    feed.add([record(4)], 0);
    feed.flush();
    expect(heard.flat()).toEqual([2, 3]);
  });

  it('keeps passing records on when one listener throws', () => {
    const errors: unknown[] = [];
    const feed = new LiveFeed((_message, err) => errors.push(err));
    const heard: number[] = [];
    feed.listen(() => {
      throw new Error('a closed socket');
    });
    feed.listen((records) => heard.push(...records.map((r) => r.seq)));
    feed.add([record(1)], 0);
    expect(heard).toEqual([1]);
    expect(errors).toHaveLength(1);
  });
});

import { describe, expect, it } from 'vitest';
import { restartOf } from '../../main/core/contract/servers.js';
import { RestartTracker } from '../../main/core/servers/restart-policy.js';

const settings = (over: Parameters<typeof restartOf>[0]['restart'] = undefined, kind: 'server' | 'job' = 'server') => restartOf({ kind, restart: over });
const crash = { clean: false, uptimeMs: 10 };

describe('restart policy (systemd vocabulary)', () => {
  it('defaults: on-failure for servers, no for jobs; 1 s doubling to 60 s; 5 starts in 60 s; stable after 30 s', () => {
    expect(settings()).toEqual({ policy: 'on-failure', delayMs: 1_000, maxDelayMs: 60_000, stableAfterMs: 30_000, burst: 5, intervalMs: 60_000 });
    expect(settings(undefined, 'job').policy).toBe('no');
  });

  it('doubles the delay from restartSec with at most +10% jitter, up to the cap', () => {
    const t = new RestartTracker({ ...settings({ delayMs: 1_000, maxDelayMs: 10_000, burst: 100, intervalMs: 1_000, stableAfterMs: 30_000 }) }, () => 1);
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      t.noteStart(i * 10_000);
      const d = t.decide(crash, i * 10_000 + 5);
      if (d.kind !== 'restart') throw new Error(`expected a restart, got ${d.kind}`);
      delays.push(d.delayMs);
    }
    expect(delays).toEqual([1_100, 2_200, 4_400, 8_800, 10_000, 10_000]);
    const noJitter = new RestartTracker(settings({ delayMs: 1_000 }), () => 0);
    noJitter.noteStart(0);
    expect(noJitter.decide(crash, 1)).toEqual({ kind: 'restart', delayMs: 1_000, attempt: 1 });
  });

  it('gives up after `burst` starts within the interval, naming the limit', () => {
    const t = new RestartTracker(settings({ burst: 3, intervalMs: 60_000 }), () => 0);
    const kinds: string[] = [];
    for (let i = 0; i < 3; i++) {
      t.noteStart(i * 100);
      kinds.push(t.decide(crash, i * 100 + 50).kind);
    }
    expect(kinds).toEqual(['restart', 'restart', 'give-up']);
    expect(t.decide(crash, 400)).toEqual({ kind: 'give-up', reason: 'start limit hit: 3 starts within 60 s' });
  });

  it('starts older than the interval do not count', () => {
    const t = new RestartTracker(settings({ burst: 2, intervalMs: 1_000 }), () => 0);
    t.noteStart(0);
    t.decide(crash, 10);
    t.noteStart(5_000);
    expect(t.decide(crash, 5_010).kind).toBe('restart');
  });

  it('a run that stayed up past stableAfter resets the backoff', () => {
    const t = new RestartTracker(settings({ delayMs: 100, stableAfterMs: 1_000, burst: 100 }), () => 0);
    for (let i = 0; i < 3; i++) {
      t.noteStart(i);
      t.decide(crash, i + 1);
    }
    expect(t.restarts).toBe(3);
    t.noteStart(100);
    expect(t.decide({ clean: false, uptimeMs: 5_000 }, 5_100)).toEqual({ kind: 'restart', delayMs: 100, attempt: 1 });
  });

  it('no never restarts; on-failure skips clean exits; always restarts clean exits too', () => {
    const clean = { clean: true, uptimeMs: 10 };
    expect(new RestartTracker(settings({ policy: 'no' })).decide(crash).kind).toBe('none');
    expect(new RestartTracker(settings({ policy: 'on-failure' })).decide(clean).kind).toBe('none');
    expect(new RestartTracker(settings({ policy: 'on-failure' })).decide(crash).kind).toBe('restart');
    expect(new RestartTracker(settings({ policy: 'always' })).decide(clean).kind).toBe('restart');
  });

  it('reset forgets the start limit and the backoff', () => {
    const t = new RestartTracker(settings({ burst: 1, delayMs: 100 }), () => 0);
    t.noteStart(0);
    expect(t.decide(crash, 1).kind).toBe('give-up');
    t.reset();
    expect(t.restarts).toBe(0);
    expect(t.decide(crash, 2)).toEqual({ kind: 'restart', delayMs: 100, attempt: 1 });
  });
});

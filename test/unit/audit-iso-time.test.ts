import { describe, expect, it } from 'vitest';
import { isoTime } from '../../main/core/audit/iso-time.js';

describe('the writer thread’s record times', () => {
  it('are exactly what toISOString gives, across milliseconds, seconds, days and years', () => {
    const times = [0, 1, 9, 10, 99, 100, 999, 1_000, 1_001, Date.UTC(2026, 11, 31, 23, 59, 59, 999), Date.UTC(2027, 0, 1), Date.UTC(2028, 1, 29, 12, 0, 0, 5)];
    // Runs of nearby times (the cache's common case), then jumps back and forth.
    for (let t = Date.UTC(2026, 10, 22, 17, 0, 58, 990); t < Date.UTC(2026, 10, 22, 17, 1, 1, 20); t += 7) times.push(t);
    for (let i = 0; i < 2_000; i++) times.push(Math.floor(Math.random() * Date.UTC(2100, 0, 1)));
    for (const t of times) expect(isoTime(t)).toBe(new Date(t).toISOString());
    // Outside years 0–9999 toISOString writes ±YYYYYY; that form is kept too.
    expect(isoTime(Date.UTC(10_000, 0, 1, 0, 0, 1, 2))).toBe(new Date(Date.UTC(10_000, 0, 1, 0, 0, 1, 2)).toISOString());
  });
});

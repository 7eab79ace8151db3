import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../main/core/secrets/duration.js';

describe('durations', () => {
  it.each([
    ['90s', 90_000],
    ['15m', 900_000],
    ['12h', 43_200_000],
    ['30d', 2_592_000_000],
    ['2w', 1_209_600_000],
    ['1h30m', 5_400_000],
    [' 1D ', 86_400_000],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '30', 'd', '1y', '-5m', '0s', '1.5h', '30 days', '11000d'])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeNull();
  });
});

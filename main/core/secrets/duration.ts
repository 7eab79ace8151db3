const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
type Unit = keyof typeof UNIT_MS;

/** Ten years: anything longer is a typo, not a policy. */
export const MAX_DURATION_MS = 10 * 365 * UNIT_MS.d;

/**
 * `90s`, `15m`, `12h`, `30d`, `2w`, or combinations such as `1h30m`, to milliseconds;
 * null when the text is not such a duration (the caller names the field in its error).
 */
export function parseDuration(text: string): number | null {
  const trimmed = text.trim().toLowerCase();
  if (!/^(\d+[smhdw])+$/.test(trimmed)) return null;
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(/(\d+)([smhdw])/g)) {
    total += Number(amount) * UNIT_MS[unit as Unit];
  }
  return total > 0 && total <= MAX_DURATION_MS ? total : null;
}

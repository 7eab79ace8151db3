/**
 * The time boxes every face offers for an exposure, counted from now; `null` is "until I lock
 * it down". One list, so the window's dialogs and the tray offer the same choices.
 */
export const TIME_BOXES: ReadonlyArray<{ ms: number | null; label: string }> = [
  { ms: 15 * 60_000, label: '15 minutes' },
  { ms: 60 * 60_000, label: '1 hour' },
  { ms: 4 * 60 * 60_000, label: '4 hours' },
  { ms: 24 * 60 * 60_000, label: '24 hours' },
  { ms: null, label: 'Until I lock it down' },
];

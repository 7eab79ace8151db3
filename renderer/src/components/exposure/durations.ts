/** The time boxes offered for an exposure; "null" is "until locked down". */
export const durations = [
  { value: '900000', label: '15 minutes' },
  { value: '3600000', label: '1 hour' },
  { value: '14400000', label: '4 hours' },
  { value: '86400000', label: '24 hours' },
  { value: 'null', label: 'Until I lock it down' },
] as const;

export const durationMs = (value: string): number | null => (value === 'null' ? null : Number(value));

import { TIME_BOXES } from '../../../../main/core/time-boxes';

/** The engine's time boxes as select values (strings); "null" is "until locked down". */
export const durations = TIME_BOXES.map((t) => ({ value: String(t.ms), label: t.label }));

export const durationMs = (value: string): number | null => (value === 'null' ? null : Number(value));

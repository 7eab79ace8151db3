import type { AccessTuple } from './access-tuple.js';
import type { WriterState } from './journal-writer.js';
import type { Unchained } from './line.js';

/**
 * What the journal hands its writer thread. An access entry travels as the gateway gave it
 * (as a flat tuple, cheaper to copy across), with its time as a number: turning it into a
 * record (redaction, ISO time) is the writer thread's work, not the gateway's event loop's.
 */
export type WriterItem = { record: Unchained } | AccessTuple;

export type ToWriter =
  | { type: 'batch'; id: number; items: WriterItem[]; durable: boolean }
  | { type: 'limits'; maxFileBytes: number }
  | { type: 'close' };

/**
 * How many access records the live stream carries: up to LIVE_ACCESS_BURST at once, refilled
 * at LIVE_ACCESS_PER_SECOND (the newest of each answer go first); control records always come
 * back. Under heavy traffic the event loop would otherwise parse every request's line again
 * only to show it live, which costs about as much per request as the whole authentication
 * step; a rate rather than a count per answer keeps that bound however small the batches
 * are. The journal on disk keeps every record regardless.
 */
export const LIVE_ACCESS_BURST = 100;
export const LIVE_ACCESS_PER_SECOND = 1_000;

/**
 * One answer for every batch up to `lastId` (the thread takes all waiting batches in one
 * write and one fsync). Their records are on disk from the first up to `written`; the rest
 * failed with `error`. `text` holds the written lines, or when `picked` is set only those
 * lines (their indices among the written ones, ascending): every control record and the
 * newest access records.
 */
export interface FromWriter {
  lastId: number;
  written: number;
  text: string;
  picked: number[] | null;
  state: WriterState;
  error: { message: string; code?: string } | null;
}

export interface WriterStart {
  dir: string;
  state: WriterState;
  maxFileBytes: number;
}

import type { AccessEntry } from '../ports.js';
import type { WriterState } from './journal-writer.js';
import type { Unchained } from './line.js';

/**
 * What the journal hands its writer thread. An access entry travels as the gateway gave it,
 * with its time as a number: turning it into a record (redaction, ISO time) is the writer
 * thread's work, not the gateway's event loop's.
 */
export type WriterItem = { record: Unchained } | { access: AccessEntry; at: number };

export type ToWriter =
  | { type: 'batch'; id: number; items: WriterItem[]; durable: boolean }
  | { type: 'limits'; maxFileBytes: number }
  | { type: 'close' };

/**
 * One answer for every batch up to `lastId` (the thread takes all waiting batches in one
 * write and one fsync). Their records are on disk from the first up to `written`; the rest
 * failed with `error`. `text` holds the written lines.
 */
export interface FromWriter {
  lastId: number;
  written: number;
  text: string;
  state: WriterState;
  error: { message: string; code?: string } | null;
}

export interface WriterStart {
  dir: string;
  state: WriterState;
  maxFileBytes: number;
}

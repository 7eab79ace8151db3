/**
 * The journal's writer thread (bundled on its own as out/main/audit-writer.cjs): chains,
 * hashes and writes every record, so the gateway's event loop only hands entries over.
 * Batches that queued up while a write or an fsync was under way are taken together — one
 * write, one fsync — and answered together: group commit.
 */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { JournalWriter } from './journal-writer.js';
import { LIVE_ACCESS_BURST, LIVE_ACCESS_PER_SECOND, type FromWriter, type ToWriter, type WriterItem, type WriterStart } from './writer-protocol.js';

const port = parentPort;
if (!port) throw new Error('the audit writer runs only as a worker thread');
const start = workerData as WriterStart;
const writer = new JournalWriter(start.dir, start.state, start.maxFileBytes);

const reply = (message: FromWriter): void => port.postMessage(message);

/** Access records the live stream may still carry now: a bucket refilled over time. */
const live = { budget: LIVE_ACCESS_BURST, at: performance.now() };

function liveBudget(): number {
  const now = performance.now();
  live.budget = Math.min(LIVE_ACCESS_BURST, live.budget + ((now - live.at) * LIVE_ACCESS_PER_SECOND) / 1_000);
  live.at = now;
  return Math.floor(live.budget);
}

/** A gateway request's record: a tuple, or (from the journal's own callers) a record of kind access. */
const isAccess = (item: WriterItem): boolean => Array.isArray(item) || item.record.kind === 'access';

/** The lines the live stream gets: all of them, unless more access records than it may carry now. */
function liveLines(text: string, lines: string[], written: number, items: WriterItem[]): { text: string; picked: number[] | null } {
  let access = 0;
  for (let i = 0; i < written; i++) if (isAccess(items[i] as WriterItem)) access++;
  // The newest record always goes: a reader learns from it where the stream stands, so the
  // records left out before it can be counted and read back.
  const allowed = Math.max(1, liveBudget());
  live.budget = Math.max(0, live.budget - Math.min(access, allowed));
  if (access <= allowed) return { text, picked: null };
  const picked: number[] = [];
  const kept: string[] = [];
  let skip = access - allowed;
  for (let i = 0; i < written; i++) {
    if (isAccess(items[i] as WriterItem) && skip > 0) {
      skip--;
      continue;
    }
    picked.push(i);
    kept.push(lines[i] as string);
  }
  return { text: `${kept.join('\n')}\n`, picked };
}

port.on('message', (first: ToWriter) => {
  const items: WriterItem[] = [];
  let durable = false;
  let lastId = -1;
  let next: ToWriter | undefined = first;
  let closing = false;
  while (next) {
    if (next.type === 'batch') {
      for (const item of next.items) items.push(item);
      durable ||= next.durable;
      lastId = next.id;
    } else if (next.type === 'limits') {
      writer.maxFileBytes = next.maxFileBytes;
    } else {
      closing = true;
      break;
    }
    next = (receiveMessageOnPort(port)?.message as ToWriter | undefined) ?? undefined;
  }
  if (lastId >= 0) {
    const out = writer.write(items, durable);
    const live = liveLines(out.text, out.lines, out.written, items);
    reply({ lastId, written: out.written, text: live.text, picked: live.picked, state: writer.current, error: out.error });
  }
  if (closing) {
    try {
      writer.close();
    } finally {
      // The journal waits for the thread's exit, which closing the port brings about.
      port.close();
    }
  }
});

/**
 * The journal's writer thread (bundled on its own as out/main/audit-writer.cjs): chains,
 * hashes and writes every record, so the gateway's event loop only hands entries over.
 * Batches that queued up while a write or an fsync was under way are taken together — one
 * write, one fsync — and answered together: group commit.
 */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { JournalWriter } from './journal-writer.js';
import type { Unchained } from './line.js';
import { fromAccessEntry } from './to-record.js';
import type { FromWriter, ToWriter, WriterItem, WriterStart } from './writer-protocol.js';

const port = parentPort;
if (!port) throw new Error('the audit writer runs only as a worker thread');
const start = workerData as WriterStart;
const writer = new JournalWriter(start.dir, start.state, start.maxFileBytes);

const toRecord = (item: WriterItem): Unchained => ('record' in item ? item.record : fromAccessEntry(item.access, new Date(item.at).toISOString()));

const reply = (message: FromWriter): void => port.postMessage(message);

port.on('message', (first: ToWriter) => {
  const records: Unchained[] = [];
  let durable = false;
  let lastId = -1;
  let next: ToWriter | undefined = first;
  let closing = false;
  while (next) {
    if (next.type === 'batch') {
      for (const item of next.items) records.push(toRecord(item));
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
    const out = writer.write(records, durable);
    reply({ lastId, written: out.written, text: out.text, state: writer.current, error: out.error });
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

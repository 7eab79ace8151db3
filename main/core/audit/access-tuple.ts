import type { AccessEntry } from '../ports.js';

/**
 * A gateway request's entry as it crosses to the writer thread: its fields in a fixed order,
 * then the time in ms. A flat array of strings and numbers is copied between threads in about
 * a third of the time of the same fields as an object (measured with structuredClone: 0.6 vs
 * 1.6 µs per entry), half of it on the gateway's event loop, once per request.
 */
export type AccessTuple = [
  at: number,
  server: string,
  mode: AccessEntry['mode'],
  client: string,
  method: string,
  path: string,
  status: number,
  bytesIn: number,
  bytesOut: number,
  durationMs: number,
  tokenId: string | undefined,
  tokenLabel: string | undefined,
  reason: string | undefined,
];

export function toTuple(e: AccessEntry, at: number): AccessTuple {
  return [at, e.server, e.mode, e.client, e.method, e.path, e.status, e.bytesIn, e.bytesOut, e.durationMs, e.tokenId, e.tokenLabel, e.reason];
}

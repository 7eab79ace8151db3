import type { IncomingHttpHeaders } from 'node:http';
import type { Duplex, Readable } from 'node:stream';

export type ClientSocket = Duplex & { remoteAddress?: string | undefined };

/**
 * One request as the gateway's pipeline reads it, whichever HTTP server parsed it (the lean
 * one over Node's parser, or node:http where that parser is not reachable).
 */
export interface GatewayRequest {
  readonly method: string;
  /** The request target as sent (origin-form for anything the gateway forwards). */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly socket: ClientSocket;
  /** The body as it streams in, with backpressure; null when the request has none. */
  readonly body: Readable | null;
}

/** A header list: flat name/value pairs (as the upstream sent them) or an object. */
export type OutgoingHeaders = string[] | Record<string, string | number>;

/** The part of an HTTP response the pipeline writes through (node:http's ServerResponse fits it). */
export interface GatewayResponse {
  readonly headersSent: boolean;
  readonly destroyed: boolean;
  /** Everything was handed to the client's socket. */
  readonly writableFinished: boolean;
  /** Bytes written but not yet handed to the kernel: queued, still referenced. */
  readonly writableLength: number;
  /** Whether a buffer given to write/end may still be referenced (absent: judge by writableLength). */
  holdsCallerBytes?(): boolean;
  writeHead(status: number, statusText: string | undefined, headers: OutgoingHeaders): unknown;
  /** Sends the head now rather than with the first chunk (a stream should be seen to open). */
  flushHeaders(): void;
  /** false: the client is behind; wait for 'drain'. */
  write(chunk: Buffer): boolean;
  end(chunk?: Buffer | string): unknown;
  /** Ends the exchange and the connection under it now. */
  destroy(): unknown;
  /** 'Continue' (RFC 9110 §10.1.1) to a client that waits for it before sending its body. */
  writeContinue(): void;
  /** 'close' comes after 'finish', or alone when the connection went first. */
  once(event: 'close' | 'finish', listener: () => void): unknown;
  on(event: 'drain', listener: () => void): unknown;
}

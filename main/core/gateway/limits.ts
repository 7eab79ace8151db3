import type { ExposureMode } from '../contract/exposure.js';

/** Every bound the gateway enforces on one listener. */
export interface GatewayLimits {
  /** Open connections per listener; more are refused at accept. */
  maxConnections: number;
  /** Open connections from one client address, so one host cannot take them all. */
  maxConnectionsPerClient: number;
  /** Time to receive a request's headers (slowloris). */
  headersTimeoutMs: number;
  /** Time to receive a whole request, body included. */
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxHeaderBytes: number;
  /** Request bodies larger than this are refused with 413 while streaming. */
  maxBodyBytes: number;
  /** Requests per client address per window (sliding). */
  rateLimit: number;
  rateWindowMs: number;
  /** Failed authentications per client address per window before it is locked out. */
  maxAuthFailures: number;
  authFailureWindowMs: number;
  /** Rows in each per-address table (least recently seen are forgotten first). */
  maxTrackedClients: number;
}

const lan: GatewayLimits = {
  maxConnections: 512,
  maxConnectionsPerClient: 64,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 300_000,
  keepAliveTimeoutMs: 5_000,
  maxHeaderBytes: 16_384,
  maxBodyBytes: 64 * 1024 * 1024,
  rateLimit: 3_000,
  rateWindowMs: 10_000,
  maxAuthFailures: 20,
  authFailureWindowMs: 10 * 60_000,
  maxTrackedClients: 10_000,
};

/** Public listeners face the whole internet: tighter everywhere (DESIGN.md, "Exposure model"). */
const publicLimits: GatewayLimits = {
  ...lan,
  maxConnections: 256,
  maxConnectionsPerClient: 32,
  headersTimeoutMs: 5_000,
  requestTimeoutMs: 120_000,
  maxBodyBytes: 16 * 1024 * 1024,
  rateLimit: 600,
  maxAuthFailures: 10,
};

export function defaultLimits(mode: Exclude<ExposureMode, 'local'>): GatewayLimits {
  return { ...(mode === 'public' ? publicLimits : lan) };
}

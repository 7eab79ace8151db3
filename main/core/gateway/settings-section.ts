import { z } from 'zod';
import { portNumber } from '../contract/servers.js';

/**
 * What the gateway remembers across restarts. The mode is kept only to say, at the next start,
 * which servers were exposed when Portcullis stopped: every server starts local (DESIGN.md,
 * "unknown state after a crash → local"). Bind and port are kept so exposing again gives
 * clients the same URL.
 */
export const exposureSection = z.object({
  servers: z
    .record(
      z.string(),
      z.object({
        mode: z.enum(['local', 'lan', 'public']).default('local'),
        bind: z.string().optional(),
        port: portNumber.optional(),
        expiresAt: z.string().nullable().optional(),
      }),
    )
    .default({}),
  /** Proxies in front of the gateway whose X-Forwarded-For is believed (exact addresses). */
  trustedProxies: z.array(z.string().min(1)).default([]),
  /** DNS names that point at this machine and that clients may use in Host. */
  hostNames: z.array(z.string().min(1)).default([]),
  /** The certificate and key listeners serve HTTPS with (paths only: the key never leaves its file but for memory). */
  tls: z.object({ certFile: z.string().min(1), keyFile: z.string().min(1) }).nullable().default(null),
});

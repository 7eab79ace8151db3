import { z } from 'zod';
import { parseDuration } from '../secrets/duration.js';
import { event, method, returns } from './define.js';
import { serverName } from './servers.js';

/** `active`, or why the gateway refuses it: `grace` is a rotated-out token still accepted for a while. */
export type TokenState = 'active' | 'grace' | 'expired' | 'revoked' | 'rotated';

/** A client token as every face shows it: never the secret. */
export interface TokenView {
  id: string;
  label: string;
  server: string;
  serverId: string;
  /** First 8 hex digits of the secret's SHA-256. */
  fingerprint: string;
  created: string;
  expires: string | null;
  lastUsed: string | null;
  state: TokenState;
  /** Rotated-out tokens: accepted until then. */
  graceUntil: string | null;
  /** Rotated-out tokens: the id of the token that replaced it. */
  replacedBy: string | null;
}

export interface UpstreamTokenView {
  server: string;
  /** The environment variable the server reads its token from. */
  env: string;
  header: string;
  scheme: string;
  /** Null until the token is first made (at the server's next start). */
  fingerprint: string | null;
  created: string | null;
}

export interface KeychainStatus {
  available: boolean;
  /** When unavailable: the cause and the fix. */
  message: string | null;
}

export type SnippetKind = 'curl' | 'python' | 'js' | 'mcp' | 'env';

const durationArg = (field: string, example: string) =>
  z
    .string()
    .refine((text) => parseDuration(text) !== null, {
      message: `${field} must be a duration such as ${example} (s, m, h, d, w; at most ten years)`,
    })
    .transform((text) => parseDuration(text) as number);

const tokenId = z
  .string({ error: 'id is required: see the ids with `portcullis token ls NAME`' })
  .trim()
  .regex(/^[a-f0-9]{4,10}$/, 'id must be a token id (hex digits) as `portcullis token ls NAME` shows it');

const label = z
  .string()
  .trim()
  .min(1, 'label must not be empty')
  .max(64, 'label must be at most 64 characters')
  .regex(/^[^\p{Cc}]*$/u, 'label must not contain control characters');

const httpUrl = z
  .string()
  .trim()
  .refine((text) => {
    try {
      const url = new URL(text);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === '' && url.search === '';
    } catch {
      return false;
    }
  }, 'url must be an http:// or https:// address without credentials or a query, such as http://192.168.1.20:8443');

const byToken = z.object({ server: serverName, id: tokenId });

export const tokenMethods = {
  'tokens.keychain': method(z.object({}), returns<KeychainStatus>(), 'Whether the OS keychain can be used, and if not why and how to fix it.'),
  'tokens.list': method(z.object({ server: serverName }), returns<TokenView[]>(), "A server's client tokens, newest first; never their secrets."),
  'tokens.create': method(
    z.object({
      server: serverName,
      label: label.optional(),
      expires: durationArg('expires', '30d, 12h or 90m').optional(),
      show: z.boolean().default(false),
    }),
    returns<{ token: TokenView; secret: string | null }>(),
    'Mint a client token into the keychain. The secret is returned only with show: true (an audited reveal).',
  ),
  'tokens.reveal': method(
    byToken.extend({ purpose: z.enum(['show', 'copy']).default('show') }),
    returns<{ secret: string }>(),
    "Read a token's secret from the keychain, to show it or (browser) put it on the clipboard. Audited.",
  ),
  'tokens.copy': method(
    byToken,
    returns<{ token: TokenView; clearsAfterMs: number }>(),
    "Desktop: put the secret on the clipboard and clear it after 30 s if it still holds it. Audited.",
  ),
  'tokens.rotate': method(
    byToken.extend({ grace: durationArg('grace', '10m or 1h').optional(), show: z.boolean().default(false) }),
    returns<{ token: TokenView; replaced: TokenView; secret: string | null }>(),
    'Replace a token by a new secret with the same label; the old one stops working at once, or after the grace period.',
  ),
  'tokens.revoke': method(
    byToken,
    returns<{ token: TokenView; warning: string | null }>(),
    'Revoke a token: refused by the gateway at once, its open connections closed, its secret deleted from the keychain.',
  ),
  'tokens.snippet': method(
    byToken.extend({
      for: z.enum(['curl', 'python', 'js', 'mcp', 'env'], { error: 'for must be one of curl, python, js, mcp, env' }),
      url: httpUrl.optional(),
      reveal: z.boolean().default(false),
    }),
    returns<{ text: string; url: string; revealed: boolean }>(),
    'A ready client snippet for the token; the secret is in it only with reveal: true (audited).',
  ),
  'tokens.qr': method(
    byToken.extend({ url: httpUrl.optional() }),
    returns<{ svg: string; text: string; url: string }>(),
    'A QR code of the URL with the token, for a phone on the LAN; an audited reveal.',
  ),
  'tokens.upstream.get': method(
    z.object({ server: serverName }),
    returns<UpstreamTokenView | null>(),
    "The server's own token, if it takes one: where it goes, and its fingerprint.",
  ),
  'tokens.upstream.set': method(
    z.object({
      server: serverName,
      env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'env must be an environment variable name such as JUPYTER_TOKEN'),
      header: z.string().trim().regex(/^[A-Za-z0-9-]+$/, 'header must be an HTTP header name such as Authorization').default('Authorization'),
      scheme: z.string().trim().regex(/^[A-Za-z]*$/, 'scheme must be a word such as Bearer or token, or empty').default('Bearer'),
    }),
    returns<UpstreamTokenView>(),
    'Give a server its own token in the environment variable it reads (for servers without a profile that says so).',
  ),
  'tokens.upstream.rotate': method(
    z.object({ server: serverName, confirm: z.boolean().default(false) }),
    returns<{ upstream: UpstreamTokenView; restarted: boolean }>(),
    "Replace the server's own token; a running server is restarted, so this needs confirm: true.",
  ),
};

export const tokenEvents = {
  'token.changed': event<TokenView>('A client token was created, rotated, revoked, expired or used (lastUsed, coalesced).'),
};

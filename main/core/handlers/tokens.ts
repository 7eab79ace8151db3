import type { Handlers } from '../api.js';
import type { ServerView } from '../contract/servers.js';
import { PortcullisError } from '../errors.js';
import type { ServerRef } from '../secrets/client-tokens.js';
import { tokenQr } from '../secrets/qr.js';
import type { Secrets } from '../secrets/secrets.js';
import { HIDDEN_TOKEN, snippet } from '../secrets/snippets.js';

type TokenHandlers = Pick<
  Handlers,
  | 'tokens.keychain'
  | 'tokens.list'
  | 'tokens.create'
  | 'tokens.reveal'
  | 'tokens.copy'
  | 'tokens.rotate'
  | 'tokens.revoke'
  | 'tokens.snippet'
  | 'tokens.qr'
  | 'tokens.upstream.get'
  | 'tokens.upstream.set'
  | 'tokens.upstream.rotate'
>;

export interface TokenHandlerDeps {
  secrets: Secrets;
  /** Every server with its live state (the supervisor's list). */
  servers: () => ServerView[];
  /** Stops and starts a server so it takes a new token from its environment. */
  restart: (name: string) => Promise<void>;
  /** The public or LAN URL while the server is exposed (the gateway's), else null. */
  exposureUrl?: (serverId: string) => string | null;
}

export function tokenHandlers(deps: TokenHandlerDeps): TokenHandlers {
  const { secrets } = deps;
  const client = secrets.client;

  const byName = (name: string): ServerView => {
    const view = deps.servers().find((s) => s.name === name);
    if (!view) throw new PortcullisError('not_found', `no server named "${name}". See the names with \`portcullis ls\`.`, 'server');
    return view;
  };
  const resolveServer = (name: string): ServerRef => {
    const view = byName(name);
    return { id: view.id, name: view.name };
  };
  const isRunning = (name: string): boolean => ['starting', 'running'].includes(byName(name).state);
  /** Where clients reach it: exposed, the gateway's URL; otherwise its own loopback port. */
  const defaultUrl = (server: ServerRef): string | null => {
    const exposed = deps.exposureUrl?.(server.id) ?? null;
    if (exposed) return exposed;
    const port = byName(server.name).definition.port;
    return port === undefined ? null : `http://127.0.0.1:${port}`;
  };

  const urlFor = (server: ServerRef, given: string | undefined): string => {
    const url = given ?? defaultUrl(server);
    if (url === null) {
      throw new PortcullisError('invalid_args', `${server.name} has no port or exposure, so its URL is unknown; give one with --url URL.`, 'url');
    }
    return url;
  };

  return {
    'tokens.keychain': async () => secrets.keychainStatus(),
    'tokens.list': async ({ server }) => client.list(resolveServer(server)),
    'tokens.create': async ({ server, label, expires, show }, ctx) =>
      client.create(resolveServer(server), { label, expiresInMs: expires, show }, ctx.actor),
    'tokens.reveal': async ({ server, id, purpose }, ctx) => {
      const { secret } = await client.reveal(resolveServer(server), id, ctx.actor, purpose === 'copy' ? 'token.copy' : 'token.reveal');
      return { secret };
    },
    'tokens.copy': async ({ server, id }, ctx) => {
      const copier = secrets.clipboard;
      if (!copier) {
        throw new PortcullisError(
          'unavailable',
          'this Portcullis has no clipboard of its own (it runs headless): in the browser use Copy, which reveals the token to the page; in a terminal use `portcullis token show NAME ID`.',
        );
      }
      const { record, secret } = await client.reveal(resolveServer(server), id, ctx.actor, 'token.copy');
      await copier.copy(secret);
      return { token: client.view(record), clearsAfterMs: copier.clearAfterMs };
    },
    'tokens.rotate': async ({ server, id, grace, show }, ctx) => client.rotate(resolveServer(server), id, { graceMs: grace, show }, ctx.actor),
    'tokens.revoke': async ({ server, id }, ctx) => client.revoke(resolveServer(server), id, ctx.actor),
    'tokens.snippet': async (args, ctx) => {
      const server = resolveServer(args.server);
      const record = client.find(server, args.id);
      const url = urlFor(server, args.url);
      const token = args.reveal ? (await client.reveal(server, record.id, ctx.actor, 'token.snippet')).secret : HIDDEN_TOKEN;
      return { text: snippet(args.for, { url, token, name: server.name }), url, revealed: args.reveal };
    },
    'tokens.qr': async (args, ctx) => {
      const server = resolveServer(args.server);
      const url = urlFor(server, args.url);
      const { secret } = await client.reveal(server, args.id, ctx.actor, 'token.qr');
      return { ...(await tokenQr(url, secret)), url };
    },
    'tokens.upstream.get': async ({ server }) => secrets.upstream.view(resolveServer(server)),
    'tokens.upstream.set': async ({ server, env, header, scheme }, ctx) =>
      secrets.upstream.configure(resolveServer(server), { env, header, scheme }, ctx.actor),
    'tokens.upstream.rotate': async ({ server: name, confirm }, ctx) => {
      const server = resolveServer(name);
      if (!secrets.upstream.spec(server.id)) {
        throw new PortcullisError('invalid_args', `${server.name} takes no token of its own; set one with \`portcullis token upstream ${server.name} --env VAR\`.`, 'server');
      }
      const running = isRunning(server.name);
      if (running && !confirm) {
        throw new PortcullisError('conflict', `${server.name} is running and must restart to take the new token; confirm with --yes.`, 'confirm');
      }
      const upstream = await secrets.upstream.rotate(server, ctx.actor);
      if (running) await deps.restart(server.name);
      return { upstream: upstream as NonNullable<typeof upstream>, restarted: running };
    },
  };
}

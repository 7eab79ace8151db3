/**
 * Keychain account names: `<homeId>/<serverId>/<tokenId>` for client tokens and
 * `<homeId>/<serverId>/upstream` for a server's own token. The home id keeps two Portcullis
 * homes on one machine apart; the server id (not its name) survives a server being re-added.
 */
export const clientAccount = (homeId: string, serverId: string, tokenId: string): string => `${homeId}/${serverId}/${tokenId}`;

export const upstreamAccount = (homeId: string, serverId: string): string => `${homeId}/${serverId}/upstream`;

export const serverPrefix = (homeId: string, serverId: string): string => `${homeId}/${serverId}/`;

export const homePrefix = (homeId: string): string => `${homeId}/`;

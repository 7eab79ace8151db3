import type { Keychain } from '../ports.js';

/** The last record's place in the chain, as kept in the keychain. */
export interface Head {
  seq: number;
  hash: string;
}

/**
 * One keychain entry per home, beside its tokens: `<homeId>/.audit/head`. Server names never
 * start with ".", so this account cannot collide with a token's `<homeId>/<server>/<tokenId>`.
 */
export const headAccount = (homeId: string): string => `${homeId}/.audit/head`;

/** The stored head; one that cannot be parsed comes back as seq -1, which matches nothing. */
export async function readHead(keychain: Keychain, homeId: string): Promise<Head | null> {
  const text = await keychain.get(headAccount(homeId));
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as Partial<Head>;
    if (Number.isSafeInteger(value.seq) && typeof value.hash === 'string' && /^[0-9a-f]{64}$/.test(value.hash)) {
      return { seq: value.seq as number, hash: value.hash };
    }
  } catch {
    // Falls through: an unreadable head is reported by verify, never trusted.
  }
  return { seq: -1, hash: 'unreadable' };
}

export async function writeHead(keychain: Keychain, homeId: string, head: Head): Promise<void> {
  await keychain.set(headAccount(homeId), JSON.stringify(head));
}

import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import type { Keychain } from '../ports.js';

/** The last record's place in the chain, as kept in the keychain. */
export interface Head {
  seq: number;
  hash: string;
}

/**
 * One keychain entry per home: `<homeId>/.audit/head`. Server names never start with ".",
 * so this account cannot collide with a token's `<homeId>/<server>/<tokenId>`.
 */
export function headAccount(home: string): string {
  let path = home;
  try {
    path = realpathSync(home);
  } catch {
    // A home that does not exist yet has no journal either; the plain path is as good.
  }
  const homeId = createHash('sha256').update(path).digest('hex').slice(0, 16);
  return `${homeId}/.audit/head`;
}

export async function readHead(keychain: Keychain, home: string): Promise<Head | null> {
  const text = await keychain.get(headAccount(home));
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as Partial<Head>;
    if (Number.isSafeInteger(value.seq) && typeof value.hash === 'string' && /^[0-9a-f]{64}$/.test(value.hash)) {
      return { seq: value.seq as number, hash: value.hash };
    }
  } catch {
    // Unreadable: treated as a head that matches nothing, which verify reports.
  }
  return { seq: -1, hash: 'unreadable' };
}

export async function writeHead(keychain: Keychain, home: string, head: Head): Promise<void> {
  await keychain.set(headAccount(home), JSON.stringify(head));
}

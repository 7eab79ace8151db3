import type { TokenState } from '../contract/tokens.js';
import type { ClientTokenRecord } from './records.js';

/** The state a user sees and the gateway enforces, from what is stored and the clock. */
export function stateOf(record: Pick<ClientTokenRecord, 'state' | 'expiresAt' | 'graceUntil'>, now: number): TokenState {
  if (record.state === 'revoked') return 'revoked';
  if (record.state === 'rotated') {
    return record.graceUntil !== null && Date.parse(record.graceUntil) > now ? 'grace' : 'rotated';
  }
  return record.expiresAt !== null && Date.parse(record.expiresAt) <= now ? 'expired' : 'active';
}

/** Whether the gateway lets it in. */
export const accepted = (state: TokenState): boolean => state === 'active' || state === 'grace';

/** When a still-accepted token stops being accepted, if ever. */
export function endsAt(record: Pick<ClientTokenRecord, 'state' | 'expiresAt' | 'graceUntil'>): number | null {
  const ends = [record.state === 'rotated' ? record.graceUntil : null, record.expiresAt]
    .filter((t): t is string => t !== null)
    .map((t) => Date.parse(t));
  return ends.length === 0 ? null : Math.min(...ends);
}

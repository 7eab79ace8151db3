import type { TokenView } from '../../../core/api.js';

/** The stable JSON shape of `token ls --json` (scripts depend on it). */
export function tokenJson(view: TokenView) {
  return {
    id: view.id,
    label: view.label,
    fingerprint: view.fingerprint,
    created: view.created,
    expires: view.expires,
    lastUsed: view.lastUsed,
    state: view.state,
  };
}

/** One line naming a token for people: id, label and fingerprint. */
export const describeToken = (view: TokenView): string => `${view.id} "${view.label}" (fingerprint ${view.fingerprint})`;

export const whenOrDash = (iso: string | null): string => (iso === null ? '-' : iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z'));

import { tokensSection, type TokenStore, type TokensSection } from '../../main/core/secrets/records.js';

/** Settings semantics in memory: validated whole, replaced whole, unchanged when the change throws. */
export function memoryTokenStore(): TokenStore {
  let data: TokensSection = tokensSection.parse({});
  return {
    read: () => structuredClone(data),
    write: (change) => {
      const draft = structuredClone(data);
      change(draft);
      data = tokensSection.parse(draft);
    },
  };
}

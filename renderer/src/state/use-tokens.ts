import { useCallback, useEffect, useState } from 'react';
import type { TokenView } from '../../../main/core/api';
import { useApi } from '../bridge/context';
import { errorMessage } from '../util/format';

/** One server's client tokens, newest first, kept live by `token.changed`. */
export function useTokens(server: string | null): { tokens: TokenView[]; error: string | null; reload: () => void } {
  const api = useApi();
  const [tokens, setTokens] = useState<TokenView[]>([]);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(() => {
    if (!server) return setTokens([]);
    api
      .call('tokens.list', { server })
      .then((list) => {
        setTokens(list);
        setError(null);
      })
      .catch((err: unknown) => setError(errorMessage(err)));
  }, [api, server]);
  useEffect(() => {
    reload();
    return api.on('token.changed', (token) => {
      if (token.server !== server) return;
      setTokens((list) => {
        const at = list.findIndex((t) => t.id === token.id);
        if (at === -1) return [token, ...list];
        const next = list.slice();
        next[at] = token;
        return next;
      });
    });
  }, [api, server, reload]);
  return { tokens, error, reload };
}

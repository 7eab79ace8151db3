import { useEffect, useState } from 'react';
import type { ServerView } from '../../../main/core/api';
import { useApi } from '../bridge/context';

/** The server list, kept live by events; refetched whenever the event stream reconnects. */
export function useServers(): { servers: ServerView[]; loaded: boolean; error: string | null } {
  const api = useApi();
  const [servers, setServers] = useState<ServerView[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const refresh = (): void => {
      api
        .call('servers.list', {})
        .then((list) => {
          setServers(list);
          setError(null);
          setLoaded(true);
        })
        .catch((err: Error) => setError(err.message));
    };
    refresh();
    const offChanged = api.on('server.changed', (view) =>
      setServers((list) => {
        const at = list.findIndex((s) => s.id === view.id);
        if (at === -1) return [...list, view];
        const next = list.slice();
        next[at] = view;
        return next;
      }),
    );
    const offRemoved = api.on('server.removed', ({ id }) => setServers((list) => list.filter((s) => s.id !== id)));
    const offConnection = api.onConnection((connected) => {
      if (connected) refresh();
      else setError('Lost the connection to Portcullis; reconnecting…');
    });
    return () => {
      offChanged();
      offRemoved();
      offConnection();
    };
  }, [api]);

  return { servers, loaded, error };
}

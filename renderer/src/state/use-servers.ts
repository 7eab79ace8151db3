import { createContext, useContext, useEffect, useState } from 'react';
import type { ServerView } from '../../../main/core/api';
import { useApi } from '../bridge/context';
import { addSample, type HealthSample } from './health-history';

export interface ServersState {
  servers: ServerView[];
  loaded: boolean;
  error: string | null;
  /** Health probes seen since this window opened, per server id. */
  health: Record<string, readonly HealthSample[]>;
}

export const ServersContext = createContext<ServersState | null>(null);

export function useServersState(): ServersState {
  const state = useContext(ServersContext);
  if (!state) throw new Error('useServersState outside ServersContext');
  return state;
}

/** The server list, kept live by events; refetched whenever the event stream reconnects. */
export function useServers(): ServersState {
  const api = useApi();
  const [servers, setServers] = useState<ServerView[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [health, setHealth] = useState<Record<string, readonly HealthSample[]>>({});

  useEffect(() => {
    const sample = (view: ServerView): void =>
      setHealth((all) => {
        const before = all[view.id] ?? [];
        const after = addSample(before, view.health);
        return after === before ? all : { ...all, [view.id]: after };
      });
    const refresh = (): void => {
      api
        .call('servers.list', {})
        .then((list) => {
          setServers(list);
          list.forEach(sample);
          setError(null);
          setLoaded(true);
        })
        .catch((err: Error) => setError(err.message));
    };
    refresh();
    const offChanged = api.on('server.changed', (view) => {
      sample(view);
      setServers((list) => {
        const at = list.findIndex((s) => s.id === view.id);
        if (at === -1) return [...list, view];
        const next = list.slice();
        next[at] = view;
        return next;
      });
    });
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

  return { servers, loaded, error, health };
}

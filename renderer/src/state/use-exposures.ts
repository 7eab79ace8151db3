import { createContext, useContext, useEffect, useState } from 'react';
import type { ExposureView } from '../../../main/core/api';
import { useApi } from '../bridge/context';
import { errorMessage } from '../util/format';

export interface ExposuresState {
  /** By server name; a server missing here is local. */
  byServer: Record<string, ExposureView>;
  error: string | null;
}

export const ExposuresContext = createContext<ExposuresState>({ byServer: {}, error: null });
export const useExposuresState = (): ExposuresState => useContext(ExposuresContext);

export const exposedList = (s: ExposuresState): ExposureView[] => Object.values(s.byServer).filter((e) => e.mode !== 'local');

/** Every server's exposure, live: `exposure.list` once, then `exposure.changed` events. */
export function useExposures(): ExposuresState {
  const api = useApi();
  const [byServer, setByServer] = useState<Record<string, ExposureView>>({});
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const refresh = (): void => {
      api
        .call('exposure.list', {})
        .then((list) => {
          setByServer(Object.fromEntries(list.map((e) => [e.server, e])));
          setError(null);
        })
        .catch((err: unknown) => setError(errorMessage(err)));
    };
    refresh();
    const offChanged = api.on('exposure.changed', (change) => {
      const { cause: _cause, reason: _reason, ...view } = change;
      setByServer((all) => ({ ...all, [view.server]: view }));
    });
    const offRemoved = api.on('server.removed', ({ name }) =>
      setByServer((all) => {
        const { [name]: _gone, ...rest } = all;
        return rest;
      }),
    );
    const offConnection = api.onConnection((connected) => connected && refresh());
    return () => {
      offChanged();
      offRemoved();
      offConnection();
    };
  }, [api]);
  return { byServer, error };
}

import { createContext, useContext, useEffect, useState } from 'react';
import type { SystemInfo } from '../../../main/core/api';
import { useApi } from '../bridge/context';

export const SystemContext = createContext<SystemInfo | null>(null);

/** What this Portcullis is; null until known. The desktop face copies secrets through the engine. */
export const useSystem = (): SystemInfo | null => useContext(SystemContext);

export function useSystemInfo(): SystemInfo | null {
  const api = useApi();
  const [info, setInfo] = useState<SystemInfo | null>(null);
  useEffect(() => {
    api
      .call('system.info', {})
      .then(setInfo)
      .catch(() => undefined);
  }, [api]);
  return info;
}

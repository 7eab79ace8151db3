import { useEffect, useState } from 'react';
import type { ServerProfile } from '../../../main/core/api';
import { useApi } from '../bridge/context';
import { errorMessage } from '../util/format';

/** The engine's ready-made profiles (picochat, palinode, Jupyter, …), fetched once. */
export function useProfiles(): { profiles: ServerProfile[]; error: string | null } {
  const api = useApi();
  const [profiles, setProfiles] = useState<ServerProfile[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api
      .call('profiles.list', {})
      .then(setProfiles)
      .catch((err: unknown) => setError(errorMessage(err)));
  }, [api]);
  return { profiles, error };
}

import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useApi } from '../bridge/context';
import { errorMessage } from '../util/format';

export type ServerAction = 'start' | 'stop' | 'restart';

/**
 * Runs start/stop/restart on one server, keeping the button busy meanwhile; a refusal becomes
 * a toast that says what happened and names the server. Restart is stop then start until the
 * contract has a restart row of its own.
 */
export function useServerAction(name: string): { busy: ServerAction | null; run: (action: ServerAction) => Promise<void> } {
  const api = useApi();
  const [busy, setBusy] = useState<ServerAction | null>(null);
  const run = async (action: ServerAction): Promise<void> => {
    setBusy(action);
    try {
      if (action !== 'start') await api.call('servers.stop', { name });
      if (action !== 'stop') await api.call('servers.start', { name });
    } catch (err) {
      notifications.show({ color: 'red', title: `Could not ${action} ${name}`, message: errorMessage(err) });
    } finally {
      setBusy(null);
    }
  };
  return { busy, run };
}

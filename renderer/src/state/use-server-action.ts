import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useApi } from '../bridge/context';
import { errorMessage } from '../util/format';

export type ServerAction = 'start' | 'stop' | 'restart' | 'reset';

const methodOf = {
  start: 'servers.start',
  stop: 'servers.stop',
  restart: 'servers.restart',
  reset: 'servers.reset',
} as const;

/**
 * Runs one lifecycle action on a server, keeping its button busy meanwhile; a refusal becomes
 * a toast that names the server and carries the engine's message (what happened, what to do).
 */
export function useServerAction(name: string): { busy: ServerAction | null; run: (action: ServerAction) => Promise<void> } {
  const api = useApi();
  const [busy, setBusy] = useState<ServerAction | null>(null);
  const run = async (action: ServerAction): Promise<void> => {
    setBusy(action);
    try {
      await api.call(methodOf[action], { name });
    } catch (err) {
      notifications.show({ color: 'red', title: `Could not ${action} ${name}`, message: errorMessage(err) });
    } finally {
      setBusy(null);
    }
  };
  return { busy, run };
}

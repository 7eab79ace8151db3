import { Button } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useApi } from '../../bridge/context';
import { exposedList, useExposuresState } from '../../state/use-exposures';
import { errorMessage } from '../../util/format';

/** Always in sight: closes every listener and connection at once. */
export function useLockdownAll(): { busy: boolean; run: () => Promise<void> } {
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const run = async (): Promise<void> => {
    setBusy(true);
    try {
      const { closed } = await api.call('exposure.lockdownAll', {});
      notifications.show({
        color: 'green',
        title: 'Locked down',
        message: closed.length ? `Closed: ${closed.join(', ')}. Every server is reachable from this machine only.` : 'Nothing was exposed.',
      });
    } catch (err) {
      notifications.show({ color: 'red', title: 'Could not lock down everything', message: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };
  return { busy, run };
}

export function LockdownAllButton({ run, busy }: { run: () => Promise<void>; busy: boolean }) {
  const exposed = exposedList(useExposuresState()).length;
  return (
    <Button
      color={exposed ? 'red.9' : 'gray'}
      variant={exposed ? 'filled' : 'default'}
      size="xs"
      loading={busy}
      onClick={() => void run()}
      aria-keyshortcuts="Control+Shift+L Meta+Shift+L"
      data-testid="lockdown-all"
    >
      Lock down everything
    </Button>
  );
}

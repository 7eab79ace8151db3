import { Button, Menu } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { ExposureView } from '../../../../main/core/api';
import { useApi } from '../../bridge/context';
import { errorMessage, formatTime } from '../../util/format';
import { durationMs, durations } from './durations';

/**
 * A new time box for an open exposure, counted from now. The engine keeps the listener, so a
 * teammate's stream or notebook kernel is not cut off because the user extended it.
 */
export function TimeBoxMenu({ exposure }: { exposure: ExposureView }) {
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const { server, mode, bind, port } = exposure;
  if (mode === 'local' || bind === null || port === null) return null;

  const retime = async (value: string): Promise<void> => {
    setBusy(true);
    try {
      // Public was confirmed when it was opened; this is the same listener for another while.
      const r = await api.call('exposure.expose', { name: server, mode, bind, port, durationMs: durationMs(value), confirm: mode === 'public' });
      const until = r.exposure.expiresAt ? `Local again at ${formatTime(r.exposure.expiresAt)}` : 'Exposed until you lock it down';
      // Only a certificate set in Settings since it opened makes the engine open the listener again.
      const connections = r.kept ? 'open connections were kept' : "the listener was opened again with the gateway's new certificate, so open connections ended";
      notifications.show({ title: `${server}'s time box changed`, message: `${until}; ${connections}.` });
    } catch (err) {
      notifications.show({ color: 'red', title: `Could not change ${server}'s time box`, message: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Menu position="bottom-end">
      <Menu.Target>
        <Button variant="default" size="xs" loading={busy}>
          Change time box
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Back to local…</Menu.Label>
        {durations.map((d) => (
          <Menu.Item key={d.value} onClick={() => void retime(d.value)}>
            {d.value === 'null' ? 'Only when I lock it down' : `${d.label} from now`}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}

import { Alert, Button, Group, List, Modal, Select, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { NetworkInterfaceView } from '../../../../main/core/api';
import { useApi } from '../../bridge/context';
import { errorMessage } from '../../util/format';
import { durationMs, durations } from './durations';

/**
 * Choosing Public needs a yes to exactly what it means: every address of this machine, from
 * every network it is on, for how long.
 */
export function PublicModal({
  server,
  opened,
  onClose,
  onConfirm,
}: {
  server: string;
  opened: boolean;
  onClose: () => void;
  onConfirm: (durationMs: number | null) => Promise<void>;
}) {
  const api = useApi();
  const [interfaces, setInterfaces] = useState<NetworkInterfaceView[]>([]);
  const [duration, setDuration] = useState('3600000');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!opened) return;
    setError(null);
    api
      .call('exposure.interfaces', {})
      .then(setInterfaces)
      .catch(() => setInterfaces([]));
  }, [api, opened]);
  const label = durations.find((d) => d.value === duration)?.label ?? '';
  const confirm = async (): Promise<void> => {
    setBusy(true);
    try {
      await onConfirm(durationMs(duration));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened={opened} onClose={onClose} title={`Expose ${server} publicly?`} size="lg">
      <Stack gap="md">
        <Alert color="orange" variant="light" title="Reachable from every network this machine is on">
          The gateway will listen on all interfaces. Anyone who can reach this machine — on this network, a VPN, or the internet if a router
          forwards the port — can reach {server} with one of its tokens.
        </Alert>
        {interfaces.length > 0 && (
          <div>
            <Text size="sm" fw={500}>
              Addresses that become reachable
            </Text>
            <List size="sm" data-testid="public-addresses">
              {interfaces
                .filter((i) => i.kind !== 'loopback')
                .map((i) => (
                  <List.Item key={`${i.name}-${i.address}`}>
                    <Text span ff="monospace" size="sm">
                      {i.address}
                    </Text>{' '}
                    ({i.name}, {i.label})
                  </List.Item>
                ))}
            </List>
          </div>
        )}
        <Select label="For" description="It returns to local by itself afterwards" data={durations.map((d) => ({ ...d }))} value={duration} onChange={(v) => setDuration(v ?? '3600000')} allowDeselect={false} />
        {error && (
          <Alert color="red" title="Not exposed">
            {error}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button color="orange" onClick={() => void confirm()} loading={busy}>
            Expose publicly {duration === 'null' ? 'until I lock it down' : `for ${label}`}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

import { Alert, Button, List, Modal, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { durationMs, durations } from './durations';
import { ModalFooter } from './ModalFooter';
import { EncryptionNotice } from './EncryptionNotice';
import { useExposeDialog } from './use-expose-dialog';

/**
 * Choosing Public needs a yes to exactly what it means: every address of this machine, from
 * every network it is on, for how long, and whether the token would cross it unencrypted.
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
  const { interfaces, tls, error, busy, run } = useExposeDialog(opened, server);
  const [duration, setDuration] = useState('3600000');
  const label = durations.find((d) => d.value === duration)?.label ?? '';
  const confirm = (): Promise<void> => run(() => onConfirm(durationMs(duration)));
  return (
    <Modal opened={opened} onClose={onClose} title={`Expose ${server} publicly?`} size="lg">
      <Stack gap="md">
        <Alert color="orange" variant="light" title="Reachable from every network this machine is on">
          The gateway will listen on all interfaces. Anyone who can reach this machine — on this network, a VPN, or the internet if a router
          forwards the port — can reach {server} with one of its tokens.
        </Alert>
        <EncryptionNotice tls={tls} mode="public" />
        {interfaces && interfaces.length > 0 && (
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
        <ModalFooter error={error} onCancel={onClose}>
          <Button color="orange" onClick={() => void confirm()} loading={busy}>
            Expose publicly {duration === 'null' ? 'until I lock it down' : `for ${label}`}
          </Button>
        </ModalFooter>
      </Stack>
    </Modal>
  );
}

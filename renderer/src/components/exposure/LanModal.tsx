import { Badge, Button, Group, Modal, Radio, Select, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { durationMs, durations } from './durations';
import { ModalFooter } from './ModalFooter';
import { EncryptionNotice } from './EncryptionNotice';
import { useExposeDialog } from './use-expose-dialog';

export interface LanChoice {
  bind: string | undefined;
  port: number | undefined;
  durationMs: number | null | undefined;
}

const DEFAULT = '__default__';
const OTHER = '__other__';

/**
 * Choosing LAN: which address of this machine the gateway listens on (the LAN, a VPN such as
 * Tailscale, …), the port, and for how long. Never 0.0.0.0: that is Public.
 */
export function LanModal({ server, opened, onClose, onChoose }: { server: string; opened: boolean; onClose: () => void; onChoose: (choice: LanChoice) => Promise<void> }) {
  const { interfaces, tls, error, setError, busy, run } = useExposeDialog(opened, server);
  const [bind, setBind] = useState(DEFAULT);
  const [other, setOther] = useState('');
  const [port, setPort] = useState('');
  const [duration, setDuration] = useState('null');
  const chosen = interfaces?.find((i) => i.lanDefault) ?? null;
  const defaultNote =
    interfaces === null
      ? 'Looking up this machine\'s addresses…'
      : chosen
        ? `Now ${chosen.address} on ${chosen.name}: the address ${server} used last time, else this machine's first LAN address`
        : 'This machine has no LAN or VPN address: choose one below';

  const submit = async (): Promise<void> => {
    const p = port.trim() === '' ? undefined : Number(port);
    if (p !== undefined && !(Number.isInteger(p) && p >= 1 && p <= 65535)) {
      setError('port must be a whole number between 1 and 65535, or empty to let Portcullis choose');
      return;
    }
    await run(() => onChoose({ bind: bind === DEFAULT ? undefined : bind === OTHER ? other.trim() : bind, port: p, durationMs: durationMs(duration) }));
  };

  return (
    <Modal opened={opened} onClose={onClose} title={`Expose ${server} on a network`} size="lg">
      <Stack gap="md">
        <Text size="sm">
          The gateway will listen on the address you choose, in front of {server}, and let in only clients that send one of its tokens.
        </Text>
        <Radio.Group value={bind} onChange={setBind} label="Listen on" name="bind">
          <Stack gap="xs" mt="xs">
            <Radio value={DEFAULT} label="Portcullis's default LAN address" description={defaultNote} />
            {(interfaces ?? []).map((i) => (
              <Radio
                key={`${i.name}-${i.address}`}
                value={i.address}
                label={
                  <Group gap={6} component="span">
                    <Text span ff="monospace" size="sm">
                      {i.address}
                    </Text>
                    <Text span size="sm">
                      {i.name}
                    </Text>
                    <Badge size="xs" variant="light" color={i.kind === 'lan' ? 'blue' : i.kind === 'vpn' ? 'grape' : 'gray'}>
                      {i.label}
                    </Badge>
                  </Group>
                }
                description={i.cidr ?? undefined}
              />
            ))}
            <Radio value={OTHER} label="Another address of this machine" />
            {bind === OTHER && (
              <TextInput
                aria-label="Address to listen on"
                placeholder="192.168.1.20"
                ff="monospace"
                value={other}
                onChange={(e) => setOther(e.currentTarget.value)}
                ml={32}
                w={240}
              />
            )}
          </Stack>
        </Radio.Group>
        <Group grow align="flex-start">
          <TextInput label="Port" description="Empty: Portcullis chooses" inputMode="numeric" value={port} onChange={(e) => setPort(e.currentTarget.value)} />
          <Select label="For" data={durations.map((d) => ({ ...d }))} value={duration} onChange={(v) => setDuration(v ?? 'null')} allowDeselect={false} />
        </Group>
        <EncryptionNotice tls={tls} mode="lan" />
        <ModalFooter error={error} onCancel={onClose}>
          <Button onClick={() => void submit()} loading={busy} disabled={interfaces === null && !error}>
            Expose on {bind === DEFAULT ? (chosen?.address ?? 'the LAN') : bind === OTHER ? other.trim() || '…' : bind}
          </Button>
        </ModalFooter>
      </Stack>
    </Modal>
  );
}

import { Button, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { TokenView } from '../../../../main/core/api';
import { errorMessage } from '../../util/format';

const expiries = [
  { value: '', label: 'Never' },
  { value: '1d', label: '1 day' },
  { value: '30d', label: '30 days' },
  { value: '90d', label: '90 days' },
];
const graces = [
  { value: '', label: 'Stop the old token now' },
  { value: '10m', label: 'Accept the old one for 10 minutes' },
  { value: '1h', label: 'Accept the old one for 1 hour' },
  { value: '1d', label: 'Accept the old one for 1 day' },
];

function useSubmit(action: () => Promise<void>): { busy: boolean; error: string | null; submit: () => void; reset: () => void } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return {
    busy,
    error,
    reset: () => setError(null),
    submit: () => {
      setBusy(true);
      setError(null);
      action()
        .catch((err: unknown) => setError(errorMessage(err)))
        .finally(() => setBusy(false));
    },
  };
}

export function CreateTokenModal({ server, opened, onClose, onCreate }: { server: string; opened: boolean; onClose: () => void; onCreate: (label: string | undefined, expires: string | undefined) => Promise<void> }) {
  const [label, setLabel] = useState('');
  const [expires, setExpires] = useState('');
  const s = useSubmit(() => onCreate(label.trim() || undefined, expires || undefined).then(() => setLabel('')));
  return (
    <Modal opened={opened} onClose={onClose} title={`New token for ${server}`}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          s.submit();
        }}
      >
        <Stack gap="sm">
          <TextInput label="Label" description="Who or what will use it, such as laptop or phone" value={label} onChange={(e) => setLabel(e.currentTarget.value)} error={s.error} data-autofocus />
          <Select label="Expires" data={expiries} value={expires} onChange={(v) => setExpires(v ?? '')} allowDeselect={false} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={s.busy}>
              Create token
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function RotateTokenModal({ token, onClose, onRotate }: { token: TokenView | null; onClose: () => void; onRotate: (grace: string | undefined) => Promise<void> }) {
  const [grace, setGrace] = useState('');
  const s = useSubmit(() => onRotate(grace || undefined));
  return (
    <Modal opened={token !== null} onClose={onClose} title={`Rotate ${token?.label ?? ''}?`}>
      <Stack gap="sm">
        <Text size="sm">A new secret replaces it under the same label. Clients must be given the new one.</Text>
        <Select label="The old secret" data={graces} value={grace} onChange={(v) => setGrace(v ?? '')} allowDeselect={false} error={s.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={s.submit} loading={s.busy}>
            Rotate {token?.label}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

export function RevokeTokenModal({ token, onClose, onRevoke }: { token: TokenView | null; onClose: () => void; onRevoke: () => Promise<void> }) {
  const s = useSubmit(onRevoke);
  return (
    <Modal opened={token !== null} onClose={onClose} title={`Revoke ${token?.label ?? ''}?`}>
      <Stack gap="sm">
        <Text size="sm">
          The gateway refuses it at once and closes the connections that used it; its secret is deleted from the keychain. This cannot be undone.
        </Text>
        {s.error && (
          <Text size="sm" c="var(--pc-text-red)" role="alert">
            {s.error}
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button color="red" onClick={s.submit} loading={s.busy}>
            Revoke {token?.label}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

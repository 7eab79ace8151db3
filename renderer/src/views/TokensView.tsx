import { Alert, Button, Group, Paper, Select, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import type { KeychainStatus, TokenView } from '../../../main/core/api';
import { useApi } from '../bridge/context';
import { CreatedTokenModal, type CreatedToken } from '../components/exposure/CreatedTokenModal';
import { CreateTokenModal, RevokeTokenModal, RotateTokenModal } from '../components/tokens/TokenDialogs';
import { TokenRow } from '../components/tokens/TokenRow';
import { useNow } from '../state/use-now';
import { useServersState } from '../state/use-servers';
import { useTokens } from '../state/use-tokens';

/** Client tokens per server: who may reach it through the gateway. Secrets stay masked. */
export function TokensView() {
  const api = useApi();
  const { servers } = useServersState();
  const [server, setServer] = useState<string | null>(null);
  const chosen = server ?? servers[0]?.name ?? null;
  const { tokens, error } = useTokens(chosen);
  const [keychain, setKeychain] = useState<KeychainStatus | null>(null);
  const [creating, setCreating] = useState(false);
  const [rotating, setRotating] = useState<TokenView | null>(null);
  const [revoking, setRevoking] = useState<TokenView | null>(null);
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const now = useNow(10_000);

  useEffect(() => {
    api
      .call('tokens.keychain', {})
      .then(setKeychain)
      .catch(() => undefined);
  }, [api]);

  if (!chosen) {
    return (
      <Stack>
        <Title order={2}>Tokens</Title>
        <Text c="dimmed">Add a server first: tokens belong to a server.</Text>
      </Stack>
    );
  }

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Title order={2}>Tokens</Title>
        <Group align="flex-end">
          <Select label="Server" data={servers.map((s) => s.name)} value={chosen} onChange={setServer} allowDeselect={false} w={220} />
          <Button onClick={() => setCreating(true)} disabled={keychain?.available === false}>
            New token
          </Button>
        </Group>
      </Group>
      {keychain && !keychain.available && (
        <Alert color="red" title="The OS keychain cannot be used">
          {keychain.message ?? 'Tokens cannot be kept, so nothing can be exposed.'}
        </Alert>
      )}
      {error && (
        <Alert color="red" title="Could not list tokens">
          {error}
        </Alert>
      )}
      <Paper withBorder radius="md">
        <Table.ScrollContainer minWidth={820}>
          <Table verticalSpacing="sm" aria-label={`Tokens of ${chosen}`}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Label and fingerprint</Table.Th>
                <Table.Th>State</Table.Th>
                <Table.Th>Created</Table.Th>
                <Table.Th>Last used</Table.Th>
                <Table.Th>Expires</Table.Th>
                <Table.Th>Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {tokens.map((t) => (
                <TokenRow key={t.id} token={t} now={now} onRotate={() => setRotating(t)} onRevoke={() => setRevoking(t)} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {tokens.length === 0 && (
          <Text size="sm" c="dimmed" p="md">
            {chosen} has no client tokens yet. Exposing it makes one; or create one for each client.
          </Text>
        )}
      </Paper>
      <CreateTokenModal
        server={chosen}
        opened={creating}
        onClose={() => setCreating(false)}
        onCreate={async (label, expires) => {
          const r = await api.call('tokens.create', { server: chosen, label, expires, show: true });
          setCreating(false);
          if (r.secret) setCreated({ server: chosen, label: r.token.label, secret: r.secret });
        }}
      />
      <RotateTokenModal
        token={rotating}
        onClose={() => setRotating(null)}
        onRotate={async (grace) => {
          if (!rotating) return;
          const r = await api.call('tokens.rotate', { server: rotating.server, id: rotating.id, grace, show: true });
          setRotating(null);
          if (r.secret) setCreated({ server: r.token.server, label: r.token.label, secret: r.secret });
        }}
      />
      <RevokeTokenModal
        token={revoking}
        onClose={() => setRevoking(null)}
        onRevoke={async () => {
          if (!revoking) return;
          const r = await api.call('tokens.revoke', { server: revoking.server, id: revoking.id });
          setRevoking(null);
          notifications.show({ color: r.warning ? 'yellow' : 'green', title: `Revoked ${r.token.label}`, message: r.warning ?? 'The gateway refuses it from now on.' });
        }}
      />
      <CreatedTokenModal token={created} onClose={() => setCreated(null)} />
    </Stack>
  );
}

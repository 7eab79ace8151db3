import { Badge, Button, Code, Group, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import type { TokenState, TokenView } from '../../../../main/core/api';
import { useApi } from '../../bridge/context';
import { useTokenCopy } from '../../state/use-token-copy';
import { errorMessage, formatAgo, formatTime } from '../../util/format';

const stateColor: Record<TokenState, string> = { active: 'green', grace: 'yellow', expired: 'gray', revoked: 'red', rotated: 'gray' };
/** A revealed secret hides itself again after this long. */
const REVEAL_MS = 30_000;

export function TokenRow({ token, now, onRotate, onRevoke }: { token: TokenView; now: number; onRotate: () => void; onRevoke: () => void }) {
  const api = useApi();
  const copy = useTokenCopy();
  const [secret, setSecret] = useState<string | null>(null);
  const usable = token.state === 'active' || token.state === 'grace';

  useEffect(() => {
    if (!secret) return;
    const timer = setTimeout(() => setSecret(null), REVEAL_MS);
    return () => clearTimeout(timer);
  }, [secret]);

  const reveal = async (): Promise<void> => {
    if (secret) return setSecret(null);
    try {
      setSecret((await api.call('tokens.reveal', { server: token.server, id: token.id, purpose: 'show' })).secret);
    } catch (err) {
      notifications.show({ color: 'red', title: `Could not reveal ${token.label}`, message: errorMessage(err) });
    }
  };

  return (
    <Table.Tr data-testid={`token-${token.label}`}>
      <Table.Td>
        <Text fw={600} size="sm">
          {token.label}
        </Text>
        <Code data-testid="token-secret" fz="xs">
          {secret ?? `•••••••• ${token.fingerprint}`}
        </Code>
      </Table.Td>
      <Table.Td>
        <Badge color={stateColor[token.state]} variant="light">
          {token.state}
        </Badge>
        {token.graceUntil && (
          <Text size="xs" c="dimmed" className="tabular">
            accepted until {formatTime(token.graceUntil)}
          </Text>
        )}
      </Table.Td>
      <Table.Td className="tabular">
        <Text size="sm">{formatTime(token.created)}</Text>
      </Table.Td>
      <Table.Td className="tabular">
        <Text size="sm">{formatAgo(token.lastUsed, now)}</Text>
      </Table.Td>
      <Table.Td className="tabular">
        <Text size="sm">{token.expires ? formatAgo(token.expires, now) : 'never'}</Text>
      </Table.Td>
      <Table.Td>
        <Group gap={6} wrap="nowrap">
          <Button size="compact-xs" variant="default" disabled={!usable} onClick={() => void reveal()} aria-label={`${secret ? 'Hide' : 'Reveal'} token ${token.label}`}>
            {secret ? 'Hide' : 'Reveal'}
          </Button>
          <Button size="compact-xs" variant="default" disabled={!usable} onClick={() => void copy(token.server, token.id, `token ${token.label}`)} aria-label={`Copy token ${token.label}`}>
            Copy
          </Button>
          <Button size="compact-xs" variant="default" disabled={token.state !== 'active'} onClick={onRotate} aria-label={`Rotate token ${token.label}`}>
            Rotate…
          </Button>
          <Button size="compact-xs" variant="light" color="red" disabled={!usable} onClick={onRevoke} aria-label={`Revoke token ${token.label}`}>
            Revoke…
          </Button>
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

import { Button, Group, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { ServerView } from '../../../main/core/api';
import { useApi } from '../bridge/context';
import { HealthBadge, StateBadge } from './StateBadge';

export function ServerList({ servers }: { servers: ServerView[] }) {
  return (
    <Table striped highlightOnHover verticalSpacing="sm" aria-label="Servers">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Name</Table.Th>
          <Table.Th>State</Table.Th>
          <Table.Th>Health</Table.Th>
          <Table.Th>Port</Table.Th>
          <Table.Th>PID</Table.Th>
          <Table.Th>Command</Table.Th>
          <Table.Th>Actions</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {servers.map((s) => (
          <ServerRow key={s.id} view={s} />
        ))}
      </Table.Tbody>
    </Table>
  );
}

function ServerRow({ view }: { view: ServerView }) {
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const active = view.state === 'running' || view.state === 'starting' || view.state === 'stopping';

  const act = async (method: 'servers.start' | 'servers.stop'): Promise<void> => {
    setBusy(true);
    try {
      await api.call(method, { name: view.name });
    } catch (err) {
      notifications.show({ color: 'red', title: `Could not ${method === 'servers.start' ? 'start' : 'stop'} ${view.name}`, message: (err as Error).message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Table.Tr data-testid={`server-${view.name}`}>
      <Table.Td fw={600}>{view.name}</Table.Td>
      <Table.Td>
        <StateBadge view={view} />
        {view.state === 'crashed' && view.lastExit && (
          <Text size="xs" c="red" mt={4}>
            {view.lastExit.reason}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <HealthBadge view={view} />
      </Table.Td>
      <Table.Td>{view.definition.port ?? '—'}</Table.Td>
      <Table.Td>{view.pid ?? '—'}</Table.Td>
      <Table.Td>
        <Text ff="monospace" size="sm" lineClamp={1} title={[view.definition.command, ...view.definition.args].join(' ')}>
          {[view.definition.command, ...view.definition.args].join(' ')}
        </Text>
      </Table.Td>
      <Table.Td>
        <Group gap="xs" wrap="nowrap">
          {active ? (
            <Button size="xs" variant="light" color="red" loading={busy || view.state === 'stopping'} onClick={() => void act('servers.stop')} aria-label={`Stop ${view.name}`}>
              Stop
            </Button>
          ) : (
            <Button size="xs" variant="light" loading={busy} onClick={() => void act('servers.start')} aria-label={`Start ${view.name}`}>
              Start
            </Button>
          )}
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

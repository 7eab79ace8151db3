import { Button, Group, Modal, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { AddServerForm } from '../components/AddServerForm';
import { ServerList } from '../components/ServerList';
import type { Route } from '../state/route';
import { useServersState } from '../state/use-servers';
import { FirstRun } from './FirstRun';

/** Every server at a glance; the start page when there are none. */
export function Overview({ adding, setAdding, navigate }: { adding: boolean; setAdding: (open: boolean) => void; navigate: (route: Route) => void }) {
  const { servers, loaded, health } = useServersState();
  const opened = (name: string): void => {
    setAdding(false);
    navigate({ view: 'server', name, tab: 'logs' });
  };
  if (!loaded) return <Skeleton height={160} radius="md" aria-label="Loading servers" />;
  if (servers.length === 0) return <FirstRun onAdded={opened} />;
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>Servers</Title>
        <Button onClick={() => setAdding(true)} aria-keyshortcuts="n">
          Add server
        </Button>
      </Group>
      <Paper withBorder radius="md">
        <ServerList servers={servers} health={health} />
      </Paper>
      <Text size="xs" c="dimmed">
        Servers always listen on 127.0.0.1; LAN and Public put the authenticating gateway in front of them.
      </Text>
      <Modal opened={adding} onClose={() => setAdding(false)} title="Add a server" size="xl">
        <AddServerForm onAdded={opened} bare />
      </Modal>
    </Stack>
  );
}

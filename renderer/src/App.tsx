import { Alert, AppShell, Container, Group, Stack, Text, Title } from '@mantine/core';
import { AddServerForm } from './components/AddServerForm';
import { ServerList } from './components/ServerList';
import { Warnings } from './components/Warnings';
import { useServers } from './state/use-servers';

export function App() {
  const { servers, loaded, error } = useServers();
  return (
    <AppShell header={{ height: 56 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md">
          <Title order={1} size="h3">
            Portcullis
          </Title>
        </Group>
      </AppShell.Header>
      <AppShell.Main>
        <Container size="xl">
          <Stack gap="md">
            <Warnings />
            {error && (
              <Alert color="red" title="Connection">
                {error}
              </Alert>
            )}
            {loaded && servers.length === 0 ? (
              <Text c="dimmed">No servers yet. Add one below: give it a name, the command that runs it, and its port.</Text>
            ) : (
              <ServerList servers={servers} />
            )}
            <AddServerForm />
          </Stack>
        </Container>
      </AppShell.Main>
    </AppShell>
  );
}

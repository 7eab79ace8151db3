import { Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useRef } from 'react';
import { AddServerForm } from '../components/AddServerForm';
import { ServerList } from '../components/ServerList';
import { useServersState } from '../state/use-servers';
import { FirstRun } from './FirstRun';

/**
 * Every server at a glance, and below them the form that adds another (the start page when
 * there are none). `adding` (the N shortcut) brings the form into view with focus on Name.
 */
export function Overview({ adding, setAdding }: { adding: boolean; setAdding: (open: boolean) => void }) {
  const { servers, loaded, health } = useServersState();
  const formRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!adding || !loaded) return;
    formRef.current?.scrollIntoView({ block: 'center' });
    formRef.current?.querySelector<HTMLInputElement>('input[name="name"]')?.focus();
    setAdding(false);
  }, [adding, loaded, setAdding]);
  const added = (name: string): void => {
    notifications.show({ color: 'green', message: `Added ${name}. Start it from its row.` });
  };

  if (!loaded) return <Skeleton height={160} radius="md" aria-label="Loading servers" />;
  if (servers.length === 0) {
    return (
      <div ref={formRef}>
        <FirstRun onAdded={added} />
      </div>
    );
  }
  return (
    <Stack gap="md">
      <Title order={2}>Servers</Title>
      <Paper withBorder radius="md">
        <ServerList servers={servers} health={health} />
      </Paper>
      <Text size="xs" c="dimmed">
        Servers always listen on 127.0.0.1; LAN and Public put the authenticating gateway in front of them.
      </Text>
      <Title order={2} size="h3" mt="md">
        Add a server
      </Title>
      <div ref={formRef}>
        <AddServerForm onAdded={added} />
      </div>
    </Stack>
  );
}

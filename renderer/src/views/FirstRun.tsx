import { Stack, Text, Title } from '@mantine/core';
import { AddServerForm } from '../components/AddServerForm';

/** With no servers yet: what Portcullis does, and the form that adds the first one. */
export function FirstRun({ onAdded }: { onAdded: (name: string) => void }) {
  return (
    <Stack gap="md" maw={880}>
      <Title order={2}>Add your first server</Title>
      <Text>
        Portcullis runs your AI servers on this machine, keeps them on 127.0.0.1, and shows their state, health and logs. Give the server a
        name, the command that runs it and the port it listens on.
      </Text>
      <AddServerForm onAdded={onAdded} />
    </Stack>
  );
}

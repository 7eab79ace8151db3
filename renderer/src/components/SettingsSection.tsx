import { Paper, Stack, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** One titled card of the Settings view. */
export function SettingsSection({ title, gap = 'md', children }: { title: string; gap?: 'sm' | 'md'; children: ReactNode }) {
  return (
    <Paper withBorder radius="md" p="md">
      <Stack gap={gap}>
        <Title order={3} size="h5">
          {title}
        </Title>
        {children}
      </Stack>
    </Paper>
  );
}

import { Alert, Button, Group } from '@mantine/core';
import type { ReactNode } from 'react';

/** The end of an expose dialog: why the engine refused (if it did), Cancel, and the action itself. */
export function ModalFooter({ error, onCancel, children }: { error: string | null; onCancel: () => void; children: ReactNode }) {
  return (
    <>
      {error && (
        <Alert color="red" title="Not exposed">
          {error}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel}>
          Cancel
        </Button>
        {children}
      </Group>
    </>
  );
}

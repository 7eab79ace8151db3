import { Alert, Button, Code, Group, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { copySecret } from '../../util/clipboard';
import { errorMessage } from '../../util/format';

export interface CreatedToken {
  server: string;
  label: string;
  secret: string;
}

/** A token secret just minted, shown once: copy it now, or reveal it later from Tokens. */
export function CreatedTokenModal({ token, onClose }: { token: CreatedToken | null; onClose: () => void }) {
  return (
    <Modal opened={token !== null} onClose={onClose} title={token ? `New token for ${token.server}` : ''} size="lg">
      {token && (
        <Stack gap="sm">
          <Text size="sm">
            Clients must send this token to reach {token.server}. It is kept in the OS keychain; it is shown here once, and you can reveal or copy it
            later from Tokens.
          </Text>
          <Code block data-testid="created-secret">
            {token.secret}
          </Code>
          <Alert color="yellow" variant="light">
            Treat it like a password: whoever has it can use {token.server} while it is exposed.
          </Alert>
          <Group justify="flex-end">
            <Button
              variant="default"
              onClick={() =>
                copySecret(token.secret).then(
                  () => notifications.show({ message: 'Copied — clipboard clears in 30 s' }),
                  (err: unknown) => notifications.show({ color: 'red', title: 'Could not copy', message: errorMessage(err) }),
                )
              }
            >
              Copy token
            </Button>
            <Button onClick={onClose}>Done</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

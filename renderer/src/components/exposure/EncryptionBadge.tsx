import { Badge } from '@mantine/core';

/** Whether an exposed server's listener speaks HTTPS, in words (the colour only repeats them). */
export function EncryptionBadge({ encrypted }: { encrypted: boolean }) {
  return (
    <Badge
      size="sm"
      variant="light"
      color={encrypted ? 'green' : 'orange'}
      data-testid="exposure-encryption"
      title={encrypted ? 'The listener speaks HTTPS: tokens cross the network encrypted' : 'Plain HTTP: tokens cross the network in the clear'}
    >
      {encrypted ? 'HTTPS' : 'Not encrypted'}
    </Badge>
  );
}

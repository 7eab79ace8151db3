import { Button } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { copyText } from '../util/clipboard';
import { errorMessage } from '../util/format';

/** A Copy button for a value that is not secret (URLs, commands); it says what it copied. */
export function CopyValue({ value, what, size = 'xs' }: { value: string; what: string; size?: 'xs' | 'compact-xs' }) {
  return (
    <Button
      size={size}
      variant="default"
      aria-label={`Copy ${what}`}
      onClick={() =>
        copyText(value).then(
          () => notifications.show({ message: `Copied ${what}` }),
          (err: unknown) => notifications.show({ color: 'red', title: `Could not copy ${what}`, message: errorMessage(err) }),
        )
      }
    >
      Copy
    </Button>
  );
}

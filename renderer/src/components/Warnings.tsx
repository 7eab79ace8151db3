import { Alert, Stack } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useApi } from '../bridge/context';

/** Start-up warnings (a settings file moved aside) and any said later, until dismissed. */
export function Warnings() {
  const api = useApi();
  const [warnings, setWarnings] = useState<string[]>([]);

  useEffect(() => {
    api
      .call('system.info', {})
      .then((info) => setWarnings((w) => [...info.warnings, ...w]))
      .catch(() => undefined);
    return api.on('system.warning', ({ message }) => setWarnings((w) => [...w, message]));
  }, [api]);

  if (warnings.length === 0) return null;
  return (
    <Stack gap="xs">
      {warnings.map((w, i) => (
        <Alert
          key={`${i}-${w}`}
          color="yellow"
          title="Attention"
          withCloseButton
          closeButtonLabel="Dismiss warning"
          onClose={() => setWarnings((list) => list.filter((_, j) => j !== i))}
          data-testid="warning"
        >
          {w}
        </Alert>
      ))}
    </Stack>
  );
}

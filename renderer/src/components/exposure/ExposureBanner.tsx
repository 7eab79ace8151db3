import { Alert, Anchor, List, Text } from '@mantine/core';
import { hrefOf } from '../../state/route';
import { exposedList, useExposuresState } from '../../state/use-exposures';
import { useNow } from '../../state/use-now';
import { formatDuration } from '../../util/format';

/** While anything is exposed: what, where, and for public exposure the time left. */
export function ExposureBanner() {
  const state = useExposuresState();
  const now = useNow();
  const exposed = exposedList(state);
  if (exposed.length === 0) return null;
  const anyPublic = exposed.some((e) => e.mode === 'public');
  return (
    <Alert
      color={anyPublic ? 'orange' : 'blue'}
      variant="light"
      title={exposed.length === 1 ? '1 server is exposed' : `${exposed.length} servers are exposed`}
      data-testid="exposure-banner"
    >
      <List size="sm" spacing={2}>
        {exposed.map((e) => (
          <List.Item key={e.server}>
            <Anchor href={hrefOf({ view: 'server', name: e.server, tab: 'exposure' })} fw={600}>
              {e.server}
            </Anchor>{' '}
            {e.mode === 'public' ? 'publicly, on every interface' : `on ${e.bind ?? 'the LAN'}`}
            {e.port ? `, port ${e.port}` : ''}
            {e.encrypted ? ', HTTPS' : ', not encrypted'}
            {e.expiresAt && (
              <Text span className="tabular" fw={600}>
                {' '}
                — {formatDuration(Math.max(0, new Date(e.expiresAt).getTime() - now))} left
              </Text>
            )}
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}

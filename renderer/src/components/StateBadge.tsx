import { Badge, Group, Text } from '@mantine/core';
import type { ServerState, ServerView } from '../../../main/core/api';
import { formatDuration } from '../util/format';

const colors: Record<ServerState, string> = {
  stopped: 'gray',
  starting: 'blue',
  running: 'green',
  stopping: 'yellow',
  backoff: 'orange',
  failed: 'red',
  succeeded: 'teal',
};

/** The state word; in backoff, when the next start comes (`now` makes it tick). */
export function StateBadge({ view, now }: { view: ServerView; now?: number }) {
  const wait = view.state === 'backoff' && view.nextStartAt && now !== undefined ? Math.max(0, new Date(view.nextStartAt).getTime() - now) : null;
  return (
    <Badge color={colors[view.state] ?? 'gray'} variant="light" data-testid="state" miw={84} className="tabular">
      {view.state}
      {wait !== null ? ` · ${formatDuration(wait + 999)}` : ''}
    </Badge>
  );
}

export function HealthBadge({ view }: { view: ServerView }) {
  const active = view.state === 'running' || view.state === 'starting';
  if (!active || !view.definition.health)
    return (
      <Badge variant="outline" color="gray" data-testid="health" miw={100}>
        {view.definition.health ? 'not running' : 'no check'}
      </Badge>
    );
  const { status, latencyMs } = view.health;
  const color = status === 'healthy' ? 'green' : status === 'unhealthy' ? 'red' : 'gray';
  return (
    <Group gap={6} wrap="nowrap">
      <Badge variant="dot" color={color} data-testid="health" title={view.health.detail ?? undefined} miw={100}>
        {status}
      </Badge>
      <Text size="xs" className="tabular" miw={52} data-testid="latency">
        {status === 'healthy' && latencyMs !== null ? `${latencyMs} ms` : ''}
      </Text>
    </Group>
  );
}

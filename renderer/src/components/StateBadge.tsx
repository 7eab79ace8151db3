import { Badge } from '@mantine/core';
import type { ServerView } from '../../../main/core/api';

const colors: Record<ServerView['state'], string> = {
  stopped: 'gray',
  starting: 'blue',
  running: 'green',
  stopping: 'yellow',
  crashed: 'red',
};

export function StateBadge({ view }: { view: ServerView }) {
  return (
    <Badge color={colors[view.state] ?? 'gray'} variant="light" data-testid="state" miw={84}>
      {view.state}
    </Badge>
  );
}

export function HealthBadge({ view }: { view: ServerView }) {
  const active = view.state === 'running' || view.state === 'starting';
  if (!active || !view.definition.health)
    return (
      <Badge variant="outline" color="gray" data-testid="health" miw={110}>
        {view.definition.health ? 'not running' : 'no check'}
      </Badge>
    );
  const { status, latencyMs } = view.health;
  const color = status === 'healthy' ? 'green' : status === 'unhealthy' ? 'red' : 'gray';
  return (
    <Badge variant="dot" color={color} data-testid="health" title={view.health.detail ?? undefined} miw={110} className="tabular">
      {status}
      {status === 'healthy' && latencyMs !== null ? ` · ${latencyMs} ms` : ''}
    </Badge>
  );
}

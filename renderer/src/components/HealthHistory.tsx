import { Group, Paper, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { ServerView } from '../../../main/core/api';
import { useApi } from '../bridge/context';
import type { HealthSample } from '../state/health-history';
import { errorMessage, formatTime } from '../util/format';
import { Sparkline } from './Sparkline';
import { HealthBadge } from './StateBadge';

/** The last hour of probes (`servers.latency`), fetched again whenever a new probe lands. */
export function HealthHistory({ view }: { view: ServerView }) {
  const api = useApi();
  const [samples, setSamples] = useState<HealthSample[]>([]);
  const [error, setError] = useState<string | null>(null);
  const checkedAt = view.health.checkedAt;
  useEffect(() => {
    let live = true;
    api
      .call('servers.latency', { name: view.name })
      .then((points) => {
        if (!live) return;
        setSamples(points.map((p) => ({ at: p.at, latencyMs: p.ms, status: p.ms === null ? 'unhealthy' : 'healthy' })));
        setError(null);
      })
      .catch((err: unknown) => live && setError(errorMessage(err)));
    return () => {
      live = false;
    };
  }, [api, view.name, checkedAt]);

  if (!view.definition.health) {
    return (
      <Text c="dimmed" size="sm">
        {view.name} has no health check. Define one (a path such as /health, and a port) to see its latency here.
      </Text>
    );
  }
  const failed = samples.filter((s) => s.latencyMs === null).length;
  const latencies = samples.map((s) => s.latencyMs).filter((v): v is number => v !== null);
  const avg = latencies.length ? Math.round(latencies.reduce((a, b) => a + b, 0) / latencies.length) : null;
  return (
    <Paper withBorder radius="md" p="md">
      <Stack gap="sm">
        <Group gap="md">
          <HealthBadge view={view} />
          <Text size="sm" className="tabular" data-testid="health-summary">
            Last hour: {samples.length} probes · average {avg ?? '—'} ms · {failed} failed
          </Text>
          <Text size="sm" c="dimmed">
            last checked {formatTime(view.health.checkedAt)}
            {view.health.version ? ` · version ${view.health.version}` : ''}
            {view.health.model ? ` · model ${view.health.model}` : ''}
            {view.health.activeJobs !== null ? ` · ${view.health.activeJobs} active jobs` : ''}
          </Text>
        </Group>
        <Sparkline samples={samples} width={640} height={120} fluid label={`${view.name} probe latency over the last hour`} />
        {error && (
          <Text size="sm" c="var(--pc-text-red)">
            Could not load the history: {error}
          </Text>
        )}
        {view.health.detail && (
          <Text size="sm" c="dimmed">
            Last answer: {view.health.detail}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

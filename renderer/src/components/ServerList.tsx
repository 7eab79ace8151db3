import { Anchor, Badge, Group, Progress, Stack, Table, Text, Tooltip } from '@mantine/core';
import type { ServerView } from '../../../main/core/api';
import type { HealthSample } from '../state/health-history';
import { hrefOf } from '../state/route';
import { useExposuresState } from '../state/use-exposures';
import { ExposureControl } from './exposure/ExposureControl';
import { useNow } from '../state/use-now';
import { formatDuration } from '../util/format';
import { CopyValue } from './CopyValue';
import { ServerActions } from './ServerActions';
import { Sparkline } from './Sparkline';
import { HealthBadge, StateBadge } from './StateBadge';

export const portOf = (view: ServerView): number | null => view.port ?? view.definition.port ?? null;
export const localUrl = (view: ServerView): string | null => {
  const port = portOf(view);
  return port ? `http://127.0.0.1:${port}/` : null;
};

/** The overview: one row per server with what it is doing now and the actions that matter. */
export function ServerList({ servers, health }: { servers: ServerView[]; health: Record<string, readonly HealthSample[]> }) {
  const now = useNow();
  return (
    <Table.ScrollContainer minWidth={860}>
      <Table verticalSpacing="sm" highlightOnHover aria-label="Servers">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Server</Table.Th>
            <Table.Th>State</Table.Th>
            <Table.Th>Health</Table.Th>
            <Table.Th>Exposure</Table.Th>
            <Table.Th>Actions</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {servers.map((s) => (
            <ServerRow key={s.id} view={s} samples={health[s.id] ?? []} now={now} />
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function Urls({ urls, name }: { urls: readonly string[]; name: string }) {
  return (
    <Stack gap={2} mt={6}>
      {urls.map((u) => (
        <Group key={u} gap={6} wrap="nowrap">
          <Text ff="monospace" size="xs">
            {u}
          </Text>
          <CopyValue value={u} what={`${name}'s URL ${u}`} size="compact-xs" />
        </Group>
      ))}
    </Stack>
  );
}

function ServerRow({ view, samples, now }: { view: ServerView; samples: readonly HealthSample[]; now: number }) {
  const url = localUrl(view);
  const exposure = useExposuresState().byServer[view.name];
  const command = [view.definition.command, ...view.definition.args].join(' ');
  const uptime = view.state === 'running' && view.startedAt ? formatDuration(now - new Date(view.startedAt).getTime()) : null;
  return (
    <Table.Tr data-testid={`server-${view.name}`}>
      <Table.Td maw={320}>
        <Anchor href={hrefOf({ view: 'server', name: view.name, tab: 'logs' })} fw={600}>
          {view.name}
        </Anchor>
        <Group gap={6} wrap="nowrap">
          {view.definition.profile && view.definition.profile !== 'generic' && (
            <Badge size="xs" variant="light" color="gray" style={{ flex: 'none' }}>
              {view.definition.profile}
            </Badge>
          )}
          {view.kind === 'job' && (
            <Badge size="xs" variant="light" color="grape" style={{ flex: 'none' }}>
              job
            </Badge>
          )}
          <Text ff="monospace" size="xs" c="dimmed" lineClamp={1} title={command}>
            {command}
          </Text>
        </Group>
        {url && (
          <Group gap={6} wrap="nowrap" mt={4}>
            <Text ff="monospace" size="xs">
              {url}
            </Text>
            <CopyValue value={url} what={`${view.name}'s local URL`} size="compact-xs" />
          </Group>
        )}
      </Table.Td>
      <Table.Td>
        <StateBadge view={view} now={now} />
        <Text size="xs" c="dimmed" className="tabular" mt={4} miw={110} data-testid="uptime">
          {uptime ? `up ${uptime}` : '\u00a0'}
        </Text>
        <Text size="xs" c="dimmed" className="tabular" data-testid="restarts">
          {view.restarts === 1 ? '1 restart' : `${view.restarts} restarts`}
        </Text>
        {(view.state === 'failed' || view.state === 'backoff') && view.lastExit && (
          <Text size="xs" c="var(--pc-text-red)" mt={4} lineClamp={2} maw={220}>
            {view.lastExit.reason}
          </Text>
        )}
        {view.progress && (
          <Tooltip label={view.progress.text}>
            <Progress value={view.progress.fraction * 100} size="sm" mt={6} w={110} aria-label={`${view.name} progress: ${view.progress.text}`} />
          </Tooltip>
        )}
      </Table.Td>
      <Table.Td>
        <Stack gap={4}>
          <HealthBadge view={view} />
          {view.definition.health && <Sparkline samples={samples} label={`${view.name} latency`} />}
          {view.health.activeJobs !== null && view.state === 'running' && (
            <Text size="xs" className="tabular" data-testid="active-jobs">
              {view.health.activeJobs === 1 ? '1 active job' : `${view.health.activeJobs} active jobs`}
            </Text>
          )}
        </Stack>
        {view.bindWarning && (
          <Text size="xs" c="var(--pc-text-orange)" mt={4} lineClamp={2} maw={220} data-testid="bind-warning">
            {view.bindWarning}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <ExposureControl server={view.name} />
        {exposure && exposure.urls.length > 0 && <Urls urls={exposure.urls} name={view.name} />}
      </Table.Td>
      <Table.Td>
        <ServerActions view={view} />
      </Table.Td>
    </Table.Tr>
  );
}

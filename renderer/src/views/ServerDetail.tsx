import { Alert, Anchor, Breadcrumbs, Button, Group, Modal, Stack, Tabs, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { ServerView } from '../../../main/core/api';
import { useApi } from '../bridge/context';
import { HealthHistory } from '../components/HealthHistory';
import { ExposurePanel } from '../components/exposure/ExposurePanel';
import { LogView } from '../components/logs/LogView';
import { ProcessFacts } from '../components/ProcessFacts';
import { RestartPolicyForm } from '../components/RestartPolicyForm';
import { ServerActions } from '../components/ServerActions';
import { HealthBadge, StateBadge } from '../components/StateBadge';
import { hrefOf, type DetailTab, type Route } from '../state/route';
import { useServersState } from '../state/use-servers';
import { errorMessage } from '../util/format';

export function ServerDetail({ name, tab, navigate }: { name: string; tab: DetailTab; navigate: (route: Route) => void }) {
  const { servers, loaded } = useServersState();
  const view = servers.find((s) => s.name === name);
  if (!view) {
    return loaded ? (
      <Alert color="yellow" title={`No server named ${name}`}>
        It may have been removed. <Anchor href={hrefOf({ view: 'overview' })}>Back to the overview</Anchor>.
      </Alert>
    ) : null;
  }
  return (
    <Stack gap="md">
      <Breadcrumbs>
        <Anchor href={hrefOf({ view: 'overview' })}>Servers</Anchor>
        <Text>{name}</Text>
      </Breadcrumbs>
      <Group justify="space-between" wrap="wrap">
        <Group gap="sm">
          <Title order={2}>{name}</Title>
          <StateBadge view={view} />
          <HealthBadge view={view} />
        </Group>
        <Group gap="xs">
          <ServerActions view={view} size="sm" />
          <RemoveButton view={view} onRemoved={() => navigate({ view: 'overview' })} />
        </Group>
      </Group>
      {view.state === 'failed' && view.lastExit && (
        <Alert color="red" title={`${name} failed`}>
          {view.lastExit.reason}. Its last lines are in the log; fix the cause, then press Reset to start it again.
        </Alert>
      )}
      {view.bindWarning && (
        <Alert color="orange" title="Listening beyond loopback">
          {view.bindWarning}
        </Alert>
      )}
      <Tabs value={tab} onChange={(t) => t && navigate({ view: 'server', name, tab: t as DetailTab })} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="logs">Logs</Tabs.Tab>
          <Tabs.Tab value="exposure">Exposure</Tabs.Tab>
          <Tabs.Tab value="health">Health</Tabs.Tab>
          <Tabs.Tab value="process">Process</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="logs" pt="md">
          <LogView key={name} name={name} />
        </Tabs.Panel>
        <Tabs.Panel value="exposure" pt="md">
          <ExposurePanel server={name} />
        </Tabs.Panel>
        <Tabs.Panel value="health" pt="md">
          <HealthHistory view={view} />
        </Tabs.Panel>
        <Tabs.Panel value="process" pt="md">
          <Stack gap="md">
            <RestartPolicyForm view={view} />
            <ProcessFacts view={view} />
          </Stack>
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function RemoveButton({ view, onRemoved }: { view: ServerView; onRemoved: () => void }) {
  const api = useApi();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const remove = async (): Promise<void> => {
    setBusy(true);
    try {
      await api.call('servers.remove', { name: view.name });
      notifications.show({ message: `Removed ${view.name}` });
      onRemoved();
    } catch (err) {
      notifications.show({ color: 'red', title: `Could not remove ${view.name}`, message: errorMessage(err) });
    } finally {
      setBusy(false);
      setOpen(false);
    }
  };
  return (
    <>
      <Button size="sm" variant="subtle" color="red" onClick={() => setOpen(true)}>
        Remove…
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={`Remove ${view.name}?`}>
        <Text size="sm">
          {view.state === 'stopped' || view.state === 'failed' || view.state === 'succeeded' ? '' : `${view.name} is ${view.state}; it will be stopped first. `}
          Its definition is forgotten; its files are not touched.
        </Text>
        <Group justify="flex-end" mt="md">
          <Button variant="default" onClick={() => setOpen(false)}>
            Cancel
          </Button>
          <Button color="red" loading={busy} onClick={() => void remove()}>
            Remove {view.name}
          </Button>
        </Group>
      </Modal>
    </>
  );
}

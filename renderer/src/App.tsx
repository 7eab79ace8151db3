import { Alert, AppShell, Burger, Button, Group, NavLink, Stack, Title } from '@mantine/core';
import { useDisclosure, useHotkeys } from '@mantine/hooks';
import { useState, type ReactNode } from 'react';
import { ExposureBanner } from './components/exposure/ExposureBanner';
import { LockdownAllButton, useLockdownAll } from './components/exposure/LockdownAllButton';
import { ShortcutsHelp } from './components/ShortcutsHelp';
import { Warnings } from './components/Warnings';
import { hrefOf, useRoute, type Route } from './state/route';
import { SystemContext, useSystemInfo } from './state/system';
import { useEventToasts } from './state/use-event-toasts';
import { ExposuresContext, useExposures } from './state/use-exposures';
import { ServersContext, useServers, useServersState } from './state/use-servers';
import { AuditView } from './views/AuditView';
import { Overview } from './views/Overview';
import { ServerDetail } from './views/ServerDetail';
import { SettingsView } from './views/SettingsView';
import { TokensView } from './views/TokensView';

const nav: { label: string; route: Route; match: Route['view'][] }[] = [
  { label: 'Servers', route: { view: 'overview' }, match: ['overview', 'server'] },
  { label: 'Tokens', route: { view: 'tokens' }, match: ['tokens'] },
  { label: 'Audit', route: { view: 'audit' }, match: ['audit'] },
  { label: 'Settings', route: { view: 'settings' }, match: ['settings'] },
];

/** The live state every view shares: what this Portcullis is, its servers and exposures. */
function LiveState({ children }: { children: ReactNode }) {
  const servers = useServers();
  const exposures = useExposures();
  const system = useSystemInfo();
  return (
    <SystemContext.Provider value={system}>
      <ExposuresContext.Provider value={exposures}>
        <ServersContext.Provider value={servers}>{children}</ServersContext.Provider>
      </ExposuresContext.Provider>
    </SystemContext.Provider>
  );
}

export function App() {
  return (
    <LiveState>
      <Shell />
    </LiveState>
  );
}

function Shell() {
  const [route, navigate] = useRoute();
  const [navOpen, { toggle: toggleNav, close: closeNav }] = useDisclosure(false);
  const [help, setHelp] = useState(false);
  const [adding, setAdding] = useState(false);
  const lockdown = useLockdownAll();
  useEventToasts();

  useHotkeys([
    ['alt+1', () => navigate({ view: 'overview' })],
    ['alt+2', () => navigate({ view: 'tokens' })],
    ['alt+3', () => navigate({ view: 'audit' })],
    ['mod+shift+L', () => void lockdown.run()],
    [
      'n',
      () => {
        navigate({ view: 'overview' });
        setAdding(true);
      },
    ],
    ['/', () => document.querySelector<HTMLInputElement>('[data-search-target]')?.focus()],
    ['shift+/', () => setHelp(true)],
  ]);

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 200, breakpoint: 'sm', collapsed: { mobile: !navOpen } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={navOpen} onClick={toggleNav} hiddenFrom="sm" size="sm" aria-label="Show navigation" />
            <Title order={1} size="h3">
              Portcullis
            </Title>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <LockdownAllButton run={lockdown.run} busy={lockdown.busy} />
            <Button variant="subtle" size="xs" onClick={() => setHelp(true)} aria-keyshortcuts="?" visibleFrom="xs">
              Shortcuts
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label="Main">
        <Stack gap={4}>
          {nav.map((item) => {
            const active = item.match.includes(route.view);
            return (
              <NavLink
                key={item.label}
                href={hrefOf(item.route)}
                label={item.label}
                active={active}
                variant="filled"
                onClick={closeNav}
                aria-current={active ? 'page' : undefined}
              />
            );
          })}
        </Stack>
      </AppShell.Navbar>
      <AppShell.Main>
        <Stack gap="md">
          <Warnings />
          <ExposureBanner />
          <ServersError />
          {route.view === 'server' ? (
            <ServerDetail name={route.name} tab={route.tab} navigate={navigate} />
          ) : route.view === 'tokens' ? (
            <TokensView />
          ) : route.view === 'audit' ? (
            <AuditView />
          ) : route.view === 'settings' ? (
            <SettingsView />
          ) : (
            <Overview adding={adding} setAdding={setAdding} />
          )}
        </Stack>
      </AppShell.Main>
      <ShortcutsHelp opened={help} onClose={() => setHelp(false)} />
    </AppShell>
  );
}

function ServersError() {
  const { error } = useServersState();
  return error ? (
    <Alert color="red" title="Connection">
      {error}
    </Alert>
  ) : null;
}

import { Alert, AppShell, Burger, Button, Group, NavLink, Stack, Text, Title } from '@mantine/core';
import { useDisclosure, useHotkeys } from '@mantine/hooks';
import { useState } from 'react';
import { ColorSchemeSwitch } from './components/ColorSchemeSwitch';
import { ShortcutsHelp } from './components/ShortcutsHelp';
import { Warnings } from './components/Warnings';
import { ExposureBanner } from './components/exposure/ExposureBanner';
import { LockdownAllButton, useLockdownAll } from './components/exposure/LockdownAllButton';
import { SystemContext, useSystemInfo } from './state/system';
import { ExposuresContext, useExposures } from './state/use-exposures';
import { AuditView } from './views/AuditView';
import { TokensView } from './views/TokensView';
import { hrefOf, useRoute, type Route } from './state/route';
import { useEventToasts } from './state/use-event-toasts';
import { ServersContext, useServers } from './state/use-servers';
import { Overview } from './views/Overview';
import { ServerDetail } from './views/ServerDetail';

const nav: { label: string; route: Route; match: Route['view'][] }[] = [
  { label: 'Servers', route: { view: 'overview' }, match: ['overview', 'server'] },
  { label: 'Tokens', route: { view: 'tokens' }, match: ['tokens'] },
  { label: 'Audit', route: { view: 'audit' }, match: ['audit'] },
];

export function App() {
  const servers = useServers();
  const exposures = useExposures();
  const system = useSystemInfo();
  const lockdown = useLockdownAll();
  const [route, navigate] = useRoute();
  const [navOpen, { toggle: toggleNav, close: closeNav }] = useDisclosure(false);
  const [help, setHelp] = useState(false);
  const [adding, setAdding] = useState(false);
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
    <SystemContext.Provider value={system}>
    <ExposuresContext.Provider value={exposures}>
    <ServersContext.Provider value={servers}>
      <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !navOpen } }} padding="md">
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
          <Stack justify="space-between" h="100%">
            <Stack gap={4}>
              {nav.map((item) => (
                <NavLink
                  key={item.label}
                  href={hrefOf(item.route)}
                  label={item.label}
                  active={item.match.includes(route.view)}
                  variant="filled"
                  onClick={closeNav}
                  aria-current={item.match.includes(route.view) ? 'page' : undefined}
                />
              ))}
            </Stack>
            <Stack gap={6}>
              <Text size="xs" c="dimmed">
                Appearance
              </Text>
              <ColorSchemeSwitch />
            </Stack>
          </Stack>
        </AppShell.Navbar>
        <AppShell.Main>
          <Stack gap="md">
            <Warnings />
            <ExposureBanner />
            {servers.error && (
              <Alert color="red" title="Connection">
                {servers.error}
              </Alert>
            )}
            {route.view === 'server' ? (
              <ServerDetail name={route.name} tab={route.tab} navigate={navigate} />
            ) : route.view === 'tokens' ? (
              <TokensView />
            ) : route.view === 'audit' ? (
              <AuditView />
            ) : (
              <Overview adding={adding} setAdding={setAdding} navigate={navigate} />
            )}
          </Stack>
        </AppShell.Main>
        <ShortcutsHelp opened={help} onClose={() => setHelp(false)} />
      </AppShell>
    </ServersContext.Provider>
    </ExposuresContext.Provider>
    </SystemContext.Provider>
  );
}

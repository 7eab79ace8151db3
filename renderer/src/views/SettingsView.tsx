import { Alert, Radio, Stack, Switch, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import type { DesktopSettings, SupervisorSettings } from '../../../main/core/api';
import { useApi } from '../bridge/context';
import { AuditSettings } from '../components/AuditSettings';
import { GatewaySettings } from '../components/GatewaySettings';
import { ColorSchemeSwitch } from '../components/ColorSchemeSwitch';
import { useSystem } from '../state/system';
import { errorMessage } from '../util/format';
import { SettingsSection } from '../components/SettingsSection';

/** Portcullis-wide settings: what quitting does to servers, start at login, appearance. */
export function SettingsView() {
  const api = useApi();
  const system = useSystem();
  const [supervisor, setSupervisor] = useState<SupervisorSettings | null>(null);
  const [desktop, setDesktop] = useState<DesktopSettings | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api
      .call('servers.settings', {})
      .then(setSupervisor)
      .catch((err: unknown) => setError(errorMessage(err)));
    api
      .call('desktop.get', {})
      .then(setDesktop)
      .catch(() => undefined);
    return api.on('desktop.changed', setDesktop);
  }, [api]);

  const saved = (what: string) => () => notifications.show({ message: `Saved: ${what}` });
  const failed = (err: unknown): void => {
    notifications.show({ color: 'red', title: 'Not saved', message: errorMessage(err) });
  };

  return (
    <Stack gap="md" maw={760}>
      <Title order={2}>Settings</Title>
      {error && (
        <Alert color="red" title="Could not read the settings">
          {error}
        </Alert>
      )}
      <SettingsSection title="Servers">
        {supervisor && (
          <>
            <Radio.Group
              label="When Portcullis quits"
              value={supervisor.onQuit}
              onChange={(v) =>
                api
                  .call('servers.updateSettings', { onQuit: v as SupervisorSettings['onQuit'] })
                  .then(setSupervisor)
                  .then(saved('when Portcullis quits'), failed)
              }
            >
              <Stack gap={6} mt={6}>
                <Radio value="stop" label="Stop every server" />
                <Radio value="leave" label="Leave them running; the next start watches them again" />
              </Stack>
            </Radio.Group>
            <Radio.Group
              label="Servers still running when Portcullis starts (left running at quit, or after a crash)"
              value={supervisor.orphans}
              onChange={(v) =>
                api
                  .call('servers.updateSettings', { orphans: v as SupervisorSettings['orphans'] })
                  .then(setSupervisor)
                  .then(saved('what happens to servers found running'), failed)
              }
            >
              <Stack gap={6} mt={6}>
                <Radio value="adopt" label="Watch them again (their output is no longer captured; restart one to see its logs)" />
                <Radio value="stop" label="Stop them" />
              </Stack>
            </Radio.Group>
          </>
        )}
      </SettingsSection>
      <GatewaySettings />
      <AuditSettings />
      {system?.face === 'desktop' && desktop && (
        <SettingsSection title="Desktop" gap="sm">
          <Switch
            label="Open Portcullis when I log in"
            checked={desktop.openAtLogin}
            onChange={(e) =>
              api
                .call('desktop.update', { openAtLogin: e.currentTarget.checked })
                .then(setDesktop)
                .then(saved('open at login'), failed)
            }
          />
          <Switch
            label="Keep running in the tray when I close the window"
            description={
              desktop.closeToTray
                ? 'Servers keep running; choose Quit in the tray to stop Portcullis.'
                : 'Closing the window quits Portcullis (servers stop or stay as set above).'
            }
            checked={desktop.closeToTray}
            onChange={(e) =>
              api
                .call('desktop.update', { closeToTray: e.currentTarget.checked })
                .then(setDesktop)
                .then(saved('close to tray'), failed)
            }
          />
        </SettingsSection>
      )}
      <SettingsSection title="Appearance" gap="sm">
        <Text size="sm" c="dimmed">
          Auto follows the system's light or dark mode.
        </Text>
        <ColorSchemeSwitch />
      </SettingsSection>
    </Stack>
  );
}

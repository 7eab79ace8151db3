import { Alert, Button, Code, Group, TagsInput, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import type { GatewaySettingsView } from '../../../main/core/api';
import { useApi } from '../bridge/context';
import { errorMessage } from '../util/format';
import { GatewayTlsSettings } from './GatewayTlsSettings';
import { SettingsSection } from './SettingsSection';

/**
 * The names every listener answers to besides its own addresses (a DNS name pointing at this
 * machine), the reverse proxies whose X-Forwarded-For is believed, and the HTTPS certificate.
 * Names and proxies apply to open listeners at once; each change is an audit record.
 */
export function GatewaySettings() {
  const api = useApi();
  const [settings, setSettings] = useState<GatewaySettingsView | null>(null);
  const [hostNames, setHostNames] = useState<string[]>([]);
  const [proxies, setProxies] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);

  const show = (s: GatewaySettingsView): void => {
    setSettings(s);
    setHostNames(s.hostNames);
    setProxies(s.trustedProxies);
  };
  // Saving the certificate keeps names and proxies being edited as they are.
  const showTls = (s: GatewaySettingsView): void => setSettings((old) => (old ? { ...old, tls: s.tls } : s));

  useEffect(() => {
    api
      .call('exposure.settings', {})
      .then(show)
      .catch((err: unknown) => setError(errorMessage(err)));
  }, [api]);

  const save = async (): Promise<void> => {
    setError(null);
    try {
      show(await api.call('exposure.updateSettings', { hostNames, trustedProxies: proxies }));
      notifications.show({ message: 'Saved: gateway host names and trusted proxies' });
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  return (
    <SettingsSection title="Gateway">
      <TagsInput
        label="Extra host names"
        description={
          <>
            DNS names of this machine that clients may use. Always allowed: the listener's addresses
            {settings && (
              <>
                {' and '}
                {settings.machineNames.map((n, i) => (
                  <span key={n}>
                    {i > 0 && ', '}
                    <Code>{n}</Code>
                  </span>
                ))}
              </>
            )}
            .
          </>
        }
        placeholder="gpu.lab.example, then Enter"
        value={hostNames}
        onChange={setHostNames}
        splitChars={[',', ' ']}
        clearable
      />
      <TagsInput
        label="Trusted proxies"
        description="Addresses of reverse proxies in front of Portcullis. Only their X-Forwarded-For is believed; leave empty when clients connect directly."
        placeholder="10.0.0.5, then Enter"
        value={proxies}
        onChange={setProxies}
        splitChars={[',', ' ']}
        clearable
      />
      <Group>
        <Button variant="default" onClick={() => void save()} disabled={!settings} aria-label="Save gateway settings">
          Save
        </Button>
        <Text size="xs" c="dimmed">
          In force at once, also for servers already exposed.
        </Text>
      </Group>
      {error && (
        <Alert color="red" title="Not saved">
          {error}
        </Alert>
      )}
      <GatewayTlsSettings tls={settings?.tls} onSaved={showTls} />
    </SettingsSection>
  );
}

import { Alert, Button, Code, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import type { GatewaySettingsView, TlsView } from '../../../main/core/api';
import { ApiError } from '../bridge/api';
import { useApi } from '../bridge/context';
import { formatAgo, formatTime } from '../util/format';
import { sentence } from '../util/sentence';

type Field = 'certFile' | 'keyFile' | 'form';

const inputs = [
  {
    field: 'certFile',
    label: 'Certificate file',
    description: 'Absolute path, such as fullchain.pem (certbot) or the .crt of tailscale cert or mkcert',
    example: 'fullchain.pem',
  },
  { field: 'keyFile', label: 'Key file', description: 'Absolute path of its unencrypted PEM key, such as privkey.pem or the .key', example: 'privkey.pem' },
] as const;

/**
 * Which input an engine error belongs beside. Schema errors name `tls.certFile`/`tls.keyFile`;
 * the engine's checks name `tls` and the file in the message, so the file named decides
 * (both named, as for a key that does not match: under both inputs, as a form error).
 */
export function tlsErrorField(field: string | undefined, message: string, certFile: string, keyFile: string): Field {
  const last = field?.split('.').pop();
  if (last === 'certFile' || last === 'keyFile') return last;
  if (field !== 'tls') return 'form';
  const namesKey = keyFile !== '' && message.includes(keyFile);
  // A key path may contain the certificate's (cert.pem, cert.pem.key): look for it elsewhere.
  const namesCert = certFile !== '' && (namesKey ? message.split(keyFile).join('') : message).includes(certFile);
  if (namesKey && !namesCert) return 'keyFile';
  if (namesCert && !namesKey) return 'certFile';
  return 'form';
}

/** What the gateway serves now: the names the certificate covers, its expiry, or why it cannot be used. */
function CurrentTls({ tls }: { tls: TlsView | null }) {
  if (!tls) {
    return (
      <Text size="sm" data-testid="tls-state">
        Plain HTTP: no certificate is set, so tokens cross the network unencrypted.
      </Text>
    );
  }
  return (
    <Stack gap={4} data-testid="tls-state">
      <Text size="sm">
        HTTPS with <Code>{tls.certFile}</Code>
      </Text>
      {tls.names.length > 0 && (
        <Text size="sm" data-testid="tls-names">
          Valid for:{' '}
          {tls.names.map((n, i) => (
            <span key={n}>
              {i > 0 && ', '}
              <Code>{n}</Code>
            </span>
          ))}
        </Text>
      )}
      {tls.validTo && (
        <Text size="sm" className="tabular" data-testid="tls-valid-to">
          Expires {formatTime(tls.validTo)} ({formatAgo(tls.validTo)})
        </Text>
      )}
      {tls.problem && (
        <Alert color="red" variant="light" title="This certificate cannot be used now">
          {sentence(tls.problem)}
        </Alert>
      )}
    </Stack>
  );
}

/**
 * The certificate and key every listener serves HTTPS with: paths only, checked by the engine
 * before anything is saved. Errors appear beside the file they name.
 */
export function GatewayTlsSettings({ tls, onSaved }: { tls: TlsView | null | undefined; onSaved: (s: GatewaySettingsView) => void }) {
  const api = useApi();
  const [certFile, setCertFile] = useState('');
  const [keyFile, setKeyFile] = useState('');
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [busy, setBusy] = useState(false);
  const loaded = tls !== undefined;
  const storedKey = tls ? `${tls.certFile}\n${tls.keyFile}` : '';

  // What is stored fills the inputs when it is read or changes.
  useEffect(() => {
    if (!loaded) return;
    const [cert = '', key = ''] = storedKey ? storedKey.split('\n') : [];
    setCertFile(cert);
    setKeyFile(key);
  }, [loaded, storedKey]);

  const send = async (files: { certFile: string; keyFile: string } | null): Promise<void> => {
    setBusy(true);
    setErrors({});
    try {
      onSaved(await api.call('exposure.updateSettings', { tls: files }));
      notifications.show({ message: files ? 'Saved: HTTPS certificate' : 'Saved: plain HTTP, no certificate' });
    } catch (err) {
      const shape = err instanceof ApiError ? err.shape : { message: (err as Error).message, field: undefined };
      setErrors({ [tlsErrorField(shape.field, shape.message, certFile.trim(), keyFile.trim())]: shape.message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap="sm" component="section" aria-labelledby="gateway-tls">
      <Title order={4} size="h6" id="gateway-tls">
        HTTPS certificate
      </Title>
      {tls !== undefined && <CurrentTls tls={tls} />}
      <Group grow align="flex-start">
        {inputs.map((i) => (
          <TextInput
            key={i.field}
            label={i.label}
            description={i.description}
            placeholder={`/etc/letsencrypt/live/gpu.lab.example/${i.example}`}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            value={i.field === 'certFile' ? certFile : keyFile}
            onChange={(e) => (i.field === 'certFile' ? setCertFile : setKeyFile)(e.currentTarget.value)}
            error={errors[i.field]}
          />
        ))}
      </Group>
      {errors.form && (
        <Text c="var(--pc-text-red)" size="sm" role="alert">
          {errors.form}
        </Text>
      )}
      <Text size="xs" c="dimmed">
        The key stays in its file and is only read into memory. A new certificate applies to listeners opened from then on; a renewed file is
        picked up by open ones.
      </Text>
      <Group>
        <Button variant="default" onClick={() => void send({ certFile: certFile.trim(), keyFile: keyFile.trim() })} loading={busy} disabled={!loaded}>
          Save certificate
        </Button>
        <Button variant="subtle" color="gray" onClick={() => void send(null)} disabled={!loaded || busy || tls === null}>
          Use plain HTTP
        </Button>
      </Group>
    </Stack>
  );
}

import { Alert, Badge, Button, Code, Group, NumberInput, Select, Table, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import type { AuditSettingsView, AuditSourceView } from '../../../main/core/api';
import { useApi } from '../bridge/context';
import { useServersState } from '../state/use-servers';
import { errorMessage } from '../util/format';
import { SettingsSection } from './SettingsSection';

/** The journal's retention and file size, and which servers' own audit files are followed. */
export function AuditSettings() {
  const api = useApi();
  const { servers } = useServersState();
  const [settings, setSettings] = useState<AuditSettingsView | null>(null);
  const [retention, setRetention] = useState<number | string>('');
  const [maxMb, setMaxMb] = useState<number | string>('');
  const [sources, setSources] = useState<AuditSourceView[]>([]);
  const [server, setServer] = useState<string | null>(null);
  const [path, setPath] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [sourceError, setSourceError] = useState<string | null>(null);

  useEffect(() => {
    api
      .call('audit.settings', {})
      .then((s) => {
        setSettings(s);
        setRetention(s.retentionDays);
        setMaxMb(s.maxFileMB);
      })
      .catch((err: unknown) => setError(errorMessage(err)));
    api
      .call('audit.sources', {})
      .then(setSources)
      .catch(() => undefined);
  }, [api]);

  const save = async (): Promise<void> => {
    setError(null);
    try {
      const next = await api.call('audit.updateSettings', { retentionDays: Number(retention), maxFileMB: Number(maxMb) });
      setSettings(next);
      notifications.show({ message: 'Saved: audit journal retention and file size' });
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  const setSource = async (target: string, value: string | null): Promise<void> => {
    setSourceError(null);
    try {
      setSources(await api.call('audit.setSource', { server: target, path: value }));
      setPath('');
      notifications.show({ message: value ? `Following ${value} as ${target}'s audit log` : `Stopped following ${target}'s audit log` });
    } catch (err) {
      setSourceError(errorMessage(err));
    }
  };

  return (
    <SettingsSection title="Audit journal">
      {settings && (
        <Text size="sm">
          Kept in <Code>{settings.dir}</Code>
        </Text>
      )}
      <Group align="flex-end" wrap="wrap">
        <NumberInput label="Keep records for (days)" min={1} max={3650} value={retention} onChange={setRetention} w={200} />
        <NumberInput label="Start a new file at (MB)" min={1} max={1024} value={maxMb} onChange={setMaxMb} w={200} />
        <Button variant="default" onClick={() => void save()} disabled={!settings}>
          Save
        </Button>
      </Group>
      {error && (
        <Alert color="red" title="Not saved">
          {error}
        </Alert>
      )}
      <Text size="sm" fw={500}>
        Servers' own audit logs
      </Text>
      {sources.length === 0 ? (
        <Text size="sm" c="dimmed">
          None followed yet. Profiles that keep one (picochat web, palinode MCP) are followed by themselves.
        </Text>
      ) : (
        <Table aria-label="Servers' own audit logs">
          <Table.Tbody>
            {sources.map((s) => (
              <Table.Tr key={`${s.server}-${s.path}`}>
                <Table.Td fw={600}>{s.server}</Table.Td>
                <Table.Td ff="monospace" fz="sm">
                  {s.path}
                </Table.Td>
                <Table.Td>
                  <Badge size="sm" variant="light" color={s.state === 'following' ? 'green' : s.state === 'error' ? 'red' : 'gray'} title={s.detail ?? undefined}>
                    {s.state}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {s.origin === 'setting' && (
                    <Button size="compact-xs" variant="subtle" color="red" onClick={() => void setSource(s.server, null)} aria-label={`Stop following ${s.server}'s audit log`}>
                      Remove
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Group align="flex-end" wrap="wrap">
        <Select label="Server" data={servers.map((s) => s.name)} value={server} onChange={setServer} w={180} />
        <TextInput label="Its audit file (JSON Lines)" placeholder="/srv/runs/.audit/audit.jsonl" value={path} onChange={(e) => setPath(e.currentTarget.value)} w={320} />
        <Button variant="default" disabled={!server || !path.trim()} onClick={() => server && void setSource(server, path.trim())}>
          Follow
        </Button>
      </Group>
      {sourceError && (
        <Text size="sm" c="var(--pc-text-red)" role="alert">
          {sourceError}
        </Text>
      )}
    </SettingsSection>
  );
}

import { Alert, Anchor, Button, Code, Group, Image, Paper, SegmentedControl, Select, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import type { SnippetKind } from '../../../../main/core/api';
import { useApi } from '../../bridge/context';
import { hrefOf } from '../../state/route';
import { useExposuresState } from '../../state/use-exposures';
import { useNow } from '../../state/use-now';
import { useTokenCopy } from '../../state/use-token-copy';
import { useTokens } from '../../state/use-tokens';
import { copySecret } from '../../util/clipboard';
import { errorMessage, formatDuration, formatTime } from '../../util/format';
import { CopyValue } from '../CopyValue';
import { EncryptionBadge } from './EncryptionBadge';
import { ExposureControl } from './ExposureControl';
import { TimeBoxMenu } from './TimeBoxMenu';

/** A server's exposure: the mode, its URLs, the token to use, client snippets and a QR code. */
export function ExposurePanel({ server }: { server: string }) {
  const api = useApi();
  const exposure = useExposuresState().byServer[server];
  const now = useNow();
  const { tokens } = useTokens(server);
  const usable = tokens.filter((t) => t.state === 'active' || t.state === 'grace');
  const [tokenId, setTokenId] = useState<string | null>(null);
  const token = usable.find((t) => t.id === tokenId) ?? usable[0];
  const [url, setUrl] = useState<string | null>(null);
  const urls = exposure?.urls ?? [];
  const chosenUrl = url && urls.includes(url) ? url : urls[0];
  const [kind, setKind] = useState<SnippetKind>('curl');
  const [snippet, setSnippet] = useState<string | null>(null);
  const [qr, setQr] = useState<string | null>(null);
  const copyToken = useTokenCopy();
  const mode = exposure?.mode ?? 'local';

  useEffect(() => {
    setQr(null);
    if (!token) return setSnippet(null);
    api
      .call('tokens.snippet', { server, id: token.id, for: kind, url: chosenUrl, reveal: false })
      .then((s) => setSnippet(s.text))
      .catch((err: unknown) => setSnippet(`# ${errorMessage(err)}`));
  }, [api, server, token, kind, chosenUrl]);

  const copySnippet = async (): Promise<void> => {
    if (!token) return;
    try {
      const s = await api.call('tokens.snippet', { server, id: token.id, for: kind, url: chosenUrl, reveal: true });
      await copySecret(s.text);
      notifications.show({ title: `Copied the ${kind} snippet with its token`, message: 'Copied — clipboard clears in 30 s' });
    } catch (err) {
      notifications.show({ color: 'red', title: 'Could not copy the snippet', message: errorMessage(err) });
    }
  };
  const showQr = async (): Promise<void> => {
    if (!token) return;
    try {
      const q = await api.call('tokens.qr', { server, id: token.id, url: chosenUrl });
      setQr(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(q.svg)}`);
    } catch (err) {
      notifications.show({ color: 'red', title: 'Could not make the QR code', message: errorMessage(err) });
    }
  };

  return (
    <Stack gap="md">
      <Paper withBorder radius="md" p="md">
        <Group justify="space-between" wrap="wrap">
          <Stack gap={4}>
            <Title order={3} size="h5">
              Who can reach {server}
            </Title>
            <Text size="sm" className="tabular" data-testid="exposure-summary">
              {mode === 'local'
                ? 'Local: this machine only. No listener beyond 127.0.0.1.'
                : `${mode === 'lan' ? 'LAN' : 'Public'}: the gateway listens on ${exposure?.bind ?? '—'}${exposure?.port ? ` port ${exposure.port}` : ''}, token required${
                    exposure?.since ? `, since ${formatTime(exposure.since)}` : ''
                  }${exposure?.expiresAt ? `; returns to local in ${formatDuration(Math.max(0, new Date(exposure.expiresAt).getTime() - now))}` : '; until locked down'}.`}
            </Text>
          </Stack>
          <Group gap="sm">
            {exposure && <TimeBoxMenu exposure={exposure} />}
            <ExposureControl server={server} size="sm" />
          </Group>
        </Group>
      </Paper>
      {mode !== 'local' && (
        <Paper withBorder radius="md" p="md">
          <Stack gap="sm">
            <Group gap="xs">
              <Title order={3} size="h5">
                Addresses
              </Title>
              <EncryptionBadge encrypted={exposure?.encrypted ?? false} />
            </Group>
            {exposure && !exposure.encrypted && (
              <Text size="xs" c="dimmed">
                Plain HTTP: the token crosses the network in the clear. An HTTPS certificate can be set in{' '}
                <Anchor href={hrefOf({ view: 'settings' })} inherit underline="always">
                  Settings → Gateway
                </Anchor>
                ; it applies from the next exposure.
              </Text>
            )}
            {urls.map((u) => (
              <Group key={u} gap="xs" wrap="nowrap">
                <Code data-testid="exposure-url">{u}</Code>
                <CopyValue value={u} what={`the URL ${u}`} />
              </Group>
            ))}
          </Stack>
        </Paper>
      )}
      <Paper withBorder radius="md" p="md">
        <Stack gap="sm">
          <Title order={3} size="h5">
            Token to use
          </Title>
          {usable.length === 0 ? (
            <Text size="sm" c="dimmed">
              No valid token yet: exposing makes one, or create one in{' '}
              <Anchor href={hrefOf({ view: 'tokens' })} underline="always">
                Tokens
              </Anchor>.
            </Text>
          ) : (
            <>
              <Group gap="sm" align="flex-end" wrap="wrap">
                <Select
                  label="Token"
                  data={usable.map((t) => ({ value: t.id, label: `${t.label} (${t.fingerprint})` }))}
                  value={token?.id ?? null}
                  onChange={setTokenId}
                  allowDeselect={false}
                  w={260}
                />
                {urls.length > 1 && <Select label="Address" data={urls} value={chosenUrl ?? null} onChange={setUrl} allowDeselect={false} w={300} />}
                <Button variant="default" onClick={() => token && void copyToken(server, token.id, `token ${token.label}`)}>
                  Copy token
                </Button>
              </Group>
              <SegmentedControl
                value={kind}
                onChange={(v) => setKind(v as SnippetKind)}
                aria-label="Snippet for"
                data={[
                  { value: 'curl', label: 'curl' },
                  { value: 'python', label: 'Python' },
                  { value: 'js', label: 'JavaScript' },
                  { value: 'mcp', label: 'MCP' },
                  { value: 'env', label: '.env' },
                ]}
              />
              <Code block data-testid="snippet" className="wrap-code">
                {snippet ?? ''}
              </Code>
              <Text size="xs" c="dimmed">
                The token is masked here; Copy puts the snippet with the real token on the clipboard.
              </Text>
              <Group gap="sm">
                <Button variant="default" onClick={() => void copySnippet()}>
                  Copy snippet with token
                </Button>
                <Button variant="default" onClick={() => (qr ? setQr(null) : void showQr())} disabled={mode === 'local'}>
                  {qr ? 'Hide QR code' : 'Show QR code'}
                </Button>
              </Group>
              {qr && (
                <Stack gap={4}>
                  <Image src={qr} alt={`QR code: ${chosenUrl ?? server} with token ${token?.label ?? ''}`} w={220} h={220} bg="white" p="xs" />
                  <Text size="xs" c="dimmed">
                    Scan it with a phone on the same network. It carries the token: hide it when done.
                  </Text>
                </Stack>
              )}
            </>
          )}
        </Stack>
      </Paper>
      {mode === 'local' && (
        <Alert color="gray" variant="light">
          Choose LAN or Public above to let other machines reach {server} through the gateway.
        </Alert>
      )}
    </Stack>
  );
}

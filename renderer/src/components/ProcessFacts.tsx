import { Alert, Badge, Code, Paper, Stack, Table, Text, Title } from '@mantine/core';
import type { ServerView } from '../../../main/core/api';
import { formatTime } from '../util/format';

function restartText(view: ServerView): string {
  const r = view.definition.restart;
  const policy = r?.policy ?? (view.kind === 'job' ? 'no' : 'on-failure');
  if (policy === 'no') return 'never restart';
  const delay = r?.delayMs ?? 1_000;
  const max = r?.maxDelayMs ?? 60_000;
  return `${policy}: after ${delay} ms, doubling to ${max} ms; gives up after ${r?.burst ?? 5} starts in ${(r?.intervalMs ?? 60_000) / 1000} s`;
}

/** Environment values may be secrets: only names are shown, values stay masked. */
const MASK = '••••••••';

export function ProcessFacts({ view }: { view: ServerView }) {
  const d = view.definition;
  const env = Object.keys(d.env);
  const rows: [string, React.ReactNode][] = [
    ['State', view.state],
    ['PID', view.pid === null ? '—' : `${view.pid}${view.adopted ? ' (adopted: found running at start-up, earlier output lost)' : ''}`],
    ['Started', formatTime(view.startedAt)],
    ['Command', <Code key="c" block>{[d.command, ...d.args].join(' ')}</Code>],
    ['Working directory', d.cwd ?? '(home directory)'],
    ['Port', view.port !== null && view.port !== d.port ? `${view.port} (chosen at start; defined ${d.port ?? '—'})` : (d.port ?? '—')],
    ['Health check', d.health ? `GET ${d.health.path} every ${d.health.intervalMs} ms (timeout ${d.health.timeoutMs} ms)` : 'none'],
    ['Stop timeout', `${d.stopTimeoutMs} ms, then SIGKILL`],
    ['Restart policy', restartText(view)],
    ['Automatic restarts', view.restarts],
    ['Last exit', view.lastExit ? `${view.lastExit.reason} at ${formatTime(view.lastExit.at)}` : '—'],
    ['Defined', formatTime(d.createdAt)],
  ];
  return (
    <Stack gap="md">
      <Paper withBorder radius="md" p="sm">
        <Table aria-label={`Process facts of ${view.name}`} className="tabular">
          <Table.Tbody>
            {rows.map(([k, v]) => (
              <Table.Tr key={k}>
                <Table.Th w={180} scope="row">
                  {k}
                </Table.Th>
                <Table.Td>{v}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      <Paper withBorder radius="md" p="sm">
        <Title order={3} size="h5" mb="xs">
          Listening sockets
        </Title>
        {view.bindWarning && (
          <Alert color="orange" mb="xs" title="Bind check">
            {view.bindWarning}
          </Alert>
        )}
        {view.listening.length === 0 ? (
          <Text size="sm" c="dimmed">
            {view.pid === null ? 'Not running.' : 'None seen yet.'}
          </Text>
        ) : (
          <Table aria-label={`Sockets ${view.name} listens on`} className="tabular">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Address</Table.Th>
                <Table.Th>Port</Table.Th>
                <Table.Th>PID</Table.Th>
                <Table.Th>Reach</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {view.listening.map((l) => (
                <Table.Tr key={`${l.address}:${l.port}:${l.pid ?? ''}`}>
                  <Table.Td ff="monospace">{l.address}</Table.Td>
                  <Table.Td>{l.port}</Table.Td>
                  <Table.Td>{l.pid ?? '—'}</Table.Td>
                  <Table.Td>
                    <Badge size="sm" variant="light" color={l.loopback ? 'green' : 'orange'}>
                      {l.loopback ? 'this machine only' : 'beyond loopback'}
                    </Badge>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
      <Paper withBorder radius="md" p="sm">
        <Title order={3} size="h5" mb="xs">
          Environment
        </Title>
        {env.length === 0 ? (
          <Text size="sm" c="dimmed">
            No variables of its own.
          </Text>
        ) : (
          <Table aria-label={`Environment of ${view.name}`}>
            <Table.Tbody>
              {env.map((k) => (
                <Table.Tr key={k}>
                  <Table.Th w={240} scope="row" ff="monospace">
                    {k}
                  </Table.Th>
                  <Table.Td ff="monospace" aria-label="value hidden">
                    {MASK}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
    </Stack>
  );
}

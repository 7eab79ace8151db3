import { Alert, Badge, Button, Group, Menu, Paper, Stack, Table, Text, Title, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMemo, useRef, useState } from 'react';
import type { AuditFilter } from '../../../main/core/api';
import { useApi } from '../bridge/context';
import { AuditDetail } from '../components/audit/AuditDetail';
import { AuditFilters, emptyAuditFilter, type AuditFilterForm } from '../components/audit/AuditFilters';
import { useVerify, VerifyButton, VerifyOutcome } from '../components/audit/VerifyButton';
import type { AuditRow } from '../state/audit-rows';
import { useAudit } from '../state/use-audit';
import { useServersState } from '../state/use-servers';
import { downloadText } from '../util/clipboard';
import { errorMessage, formatTime } from '../util/format';

const outcomeColor: Record<string, string> = { ok: 'green', denied: 'orange', error: 'red' };

function toFilter(f: AuditFilterForm): AuditFilter {
  const iso = (local: string): string | undefined => (local ? new Date(local).toISOString() : undefined);
  const out: AuditFilter = {};
  if (f.server) out.server = f.server;
  if (f.kind) out.kind = f.kind as AuditFilter['kind'];
  if (f.outcome) out.outcome = f.outcome as AuditFilter['outcome'];
  if (f.action.trim()) out.action = f.action.trim();
  if (f.client.trim()) out.client = f.client.trim();
  if (f.text.trim()) out.text = f.text.trim();
  const since = iso(f.since);
  const until = iso(f.until);
  if (since) out.since = since;
  if (until) out.until = until;
  return out;
}

/**
 * Every state change and gateway request, newest first, live. While the user reads further
 * down, new rows wait behind a button instead of pushing the table down.
 */
export function AuditView() {
  const api = useApi();
  const { servers } = useServersState();
  const [form, setForm] = useState<AuditFilterForm>(emptyAuditFilter);
  const [debounced] = useDebouncedValue(form, 300);
  const filter = useMemo(() => toFilter(debounced), [debounced]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const audit = useAudit(filter, debounced.source, () => (scrollRef.current?.scrollTop ?? 0) < 8);
  const verify = useVerify();
  const [detail, setDetail] = useState<AuditRow | null>(null);
  const [exporting, setExporting] = useState(false);

  const exportAs = async (format: 'csv' | 'jsonl'): Promise<void> => {
    setExporting(true);
    try {
      // The journal's own records matching the filters, oldest first, the newest 100,000 at most.
      const out = await api.call('audit.export', { ...filter, format });
      downloadText(`portcullis-audit-${new Date().toISOString().slice(0, 19).replace(/:/g, '')}.${format}`, out.text);
      notifications.show({
        message: `Exported ${out.count.toLocaleString()} records${out.truncated ? ' (the newest 100,000; narrow the filters for older ones)' : ''}`,
      });
    } catch (err) {
      notifications.show({ color: 'red', title: 'Could not export', message: errorMessage(err) });
    } finally {
      setExporting(false);
    }
  };

  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="wrap">
        <Title order={2}>Audit</Title>
        <Group gap="xs">
          <VerifyButton busy={verify.busy} run={verify.run} />
          <Menu position="bottom-end">
            <Menu.Target>
              <Button variant="default" loading={exporting}>
                Export
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item onClick={() => void exportAs('csv')}>CSV, for spreadsheets</Menu.Item>
              <Menu.Item onClick={() => void exportAs('jsonl')}>JSON Lines, as stored</Menu.Item>
            </Menu.Dropdown>
          </Menu>
        </Group>
      </Group>
      <VerifyOutcome report={verify.report} error={verify.error} />
      <Paper withBorder radius="md" p="sm">
        <AuditFilters value={form} onChange={setForm} servers={servers.map((s) => s.name)} />
      </Paper>
      {audit.error && (
        <Alert color="red" title="Could not read the journal">
          {audit.error}
        </Alert>
      )}
      <Group h={32} justify="space-between">
        {audit.missed > 0 ? (
          <Button size="compact-sm" variant="light" color="yellow" onClick={audit.reload} data-testid="audit-missed">
            Busy gateway: {audit.missed.toLocaleString()} more requests recorded than shown live — reload
          </Button>
        ) : audit.pending > 0 ? (
          <Button size="compact-sm" variant="light" onClick={audit.showPending} data-testid="audit-pending">
            {audit.pending === 1 ? '1 new record' : `${audit.pending.toLocaleString()} new records`} — show
          </Button>
        ) : (
          <Text size="sm" c="dimmed">
            Live · newest first
          </Text>
        )}
        <Text size="sm" c="dimmed" className="tabular">
          {audit.loading ? 'Loading…' : `${audit.rows.length.toLocaleString()} records shown`}
        </Text>
      </Group>
      <Paper withBorder radius="md">
        <div ref={scrollRef} className="audit-scroll" tabIndex={0} role="region" aria-label="Audit records">
          <Table stickyHeader verticalSpacing={6} highlightOnHover aria-label="Audit records" className="tabular" miw={880}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={190}>Time</Table.Th>
                <Table.Th>Source</Table.Th>
                <Table.Th>Kind</Table.Th>
                <Table.Th>Action</Table.Th>
                <Table.Th>Server</Table.Th>
                <Table.Th>Actor</Table.Th>
                <Table.Th>Outcome</Table.Th>
                <Table.Th>Details</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {audit.rows.map((r) => (
                <Table.Tr key={r.key} data-testid="audit-row">
                  <Table.Td>
                    <UnstyledButton onClick={() => setDetail(r)} aria-label={`Details of ${r.action || 'record'} at ${formatTime(r.ts)}`} fz="sm" td="underline">
                      {formatTime(r.ts)}
                    </UnstyledButton>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c={r.own ? 'var(--pc-text-grape)' : undefined}>
                      {r.source}
                    </Text>
                  </Table.Td>
                  <Table.Td>{r.own ? '—' : r.kind}</Table.Td>
                  <Table.Td ff="monospace" fz="sm">
                    {r.action}
                  </Table.Td>
                  <Table.Td>{r.server}</Table.Td>
                  <Table.Td>{r.actor}</Table.Td>
                  <Table.Td>
                    {r.outcome && (
                      <Badge size="sm" variant="light" color={outcomeColor[r.outcome] ?? 'gray'}>
                        {r.outcome}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td maw={320}>
                    <Text size="sm" lineClamp={1} title={r.summary}>
                      {r.summary}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {!audit.loading && audit.rows.length === 0 && (
            <Text size="sm" c="dimmed" p="md">
              No record matches these filters.
            </Text>
          )}
          {audit.hasOlder && (
            <Group justify="center" p="sm">
              <Button variant="default" size="xs" onClick={audit.loadOlder}>
                Load older records
              </Button>
            </Group>
          )}
        </div>
      </Paper>
      <AuditDetail row={detail} onClose={() => setDetail(null)} />
    </Stack>
  );
}

import { Code, Drawer, Stack, Table, Text } from '@mantine/core';
import type { AuditRow } from '../../state/audit-rows';
import { formatTime } from '../../util/format';

/** One record in full: every field as stored, including its chain hash. */
export function AuditDetail({ row, onClose }: { row: AuditRow | null; onClose: () => void }) {
  return (
    <Drawer opened={row !== null} onClose={onClose} position="right" size="lg" title={row ? `${row.action || 'Record'} — ${row.source}` : ''}>
      {row && (
        <Stack gap="sm">
          <Table>
            <Table.Tbody>
              {(
                [
                  ['Time', formatTime(row.ts)],
                  ['Source', row.source],
                  ['Kind', row.kind],
                  ['Actor', row.actor],
                  ['Server', row.server || '—'],
                  ['Outcome', row.outcome || '—'],
                ] as const
              ).map(([k, v]) => (
                <Table.Tr key={k}>
                  <Table.Th scope="row" w={120}>
                    {k}
                  </Table.Th>
                  <Table.Td>{v}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Text size="sm" fw={500}>
            As stored
          </Text>
          <Code block data-testid="audit-raw">
            {JSON.stringify(row.raw, null, 2)}
          </Code>
        </Stack>
      )}
    </Drawer>
  );
}

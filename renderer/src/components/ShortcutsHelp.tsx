import { Kbd, Modal, Table } from '@mantine/core';
import { shortcuts } from '../state/shortcuts';

export function ShortcutsHelp({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title="Keyboard shortcuts">
      <Table aria-label="Keyboard shortcuts">
        <Table.Tbody>
          {shortcuts.map((s) => (
            <Table.Tr key={s.keys}>
              <Table.Td w={120}>
                <Kbd>{s.label}</Kbd>
              </Table.Td>
              <Table.Td>{s.what}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Modal>
  );
}

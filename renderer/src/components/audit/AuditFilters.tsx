import { Group, Select, TextInput } from '@mantine/core';
import type { AuditSource } from '../../state/audit-rows';

export interface AuditFilterForm {
  source: AuditSource;
  server: string;
  kind: string;
  outcome: string;
  action: string;
  client: string;
  since: string;
  until: string;
  text: string;
}

export const emptyAuditFilter: AuditFilterForm = { source: 'all', server: '', kind: '', outcome: '', action: '', client: '', since: '', until: '', text: '' };

const any = { value: '', label: 'Any' };

export function AuditFilters({ value, onChange, servers }: { value: AuditFilterForm; onChange: (next: AuditFilterForm) => void; servers: string[] }) {
  const set = (field: keyof AuditFilterForm) => (v: string | null) => onChange({ ...value, [field]: v ?? '' });
  const text = (field: keyof AuditFilterForm) => (e: { currentTarget: { value: string } }) => set(field)(e.currentTarget.value);
  return (
    <Group gap="sm" align="flex-end" wrap="wrap">
      <Select
        label="Source"
        w={170}
        value={value.source}
        onChange={(v) => set('source')(v ?? 'all')}
        allowDeselect={false}
        data={[
          { value: 'all', label: 'All' },
          { value: 'portcullis', label: 'Portcullis journal' },
          { value: 'servers', label: "Servers' own logs" },
        ]}
      />
      <Select label="Server" w={150} value={value.server} onChange={set('server')} allowDeselect={false} data={[any, ...servers.map((s) => ({ value: s, label: s }))]} />
      <Select
        label="Kind"
        w={120}
        value={value.kind}
        onChange={set('kind')}
        allowDeselect={false}
        data={[any, ...['control', 'access', 'server', 'system'].map((k) => ({ value: k, label: k }))]}
      />
      <Select
        label="Outcome"
        w={120}
        value={value.outcome}
        onChange={set('outcome')}
        allowDeselect={false}
        data={[any, ...['ok', 'denied', 'error'].map((k) => ({ value: k, label: k }))]}
      />
      <TextInput label="Action" w={150} placeholder="server.start" value={value.action} onChange={text('action')} />
      <TextInput label="Client address" w={150} placeholder="127.0.0.2" value={value.client} onChange={text('client')} />
      <TextInput label="From" type="datetime-local" w={200} value={value.since} onChange={text('since')} />
      <TextInput label="To" type="datetime-local" w={200} value={value.until} onChange={text('until')} />
      <TextInput label="Text" w={200} placeholder="anywhere in the record" value={value.text} onChange={text('text')} data-search-target />
    </Group>
  );
}

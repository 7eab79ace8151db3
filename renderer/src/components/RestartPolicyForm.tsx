import { Button, Group, NumberInput, Paper, Select, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState, type FormEvent } from 'react';
import type { ServerView } from '../../../main/core/api';
import { ApiError } from '../bridge/api';
import { useApi } from '../bridge/context';

type Policy = 'no' | 'on-failure' | 'always';

const policyLabels: Record<Policy, string> = {
  no: 'Never restart',
  'on-failure': 'Restart when it fails',
  always: 'Always restart',
};

interface Draft {
  policy: Policy;
  delaySec: number;
  maxDelaySec: number;
  burst: number;
}

function draftOf(view: ServerView): Draft {
  const r = view.definition.restart;
  return {
    policy: r?.policy ?? (view.kind === 'job' ? 'no' : 'on-failure'),
    delaySec: (r?.delayMs ?? 1_000) / 1000,
    maxDelaySec: (r?.maxDelayMs ?? 60_000) / 1000,
    burst: r?.burst ?? 5,
  };
}

/**
 * The restart policy in systemd's words, editable while the server runs (it applies to the
 * next exit). Errors from the engine appear beside the field they name.
 */
export function RestartPolicyForm({ view }: { view: ServerView }) {
  const api = useApi();
  const [draft, setDraft] = useState<Draft>(() => draftOf(view));
  const [errors, setErrors] = useState<Partial<Record<keyof Draft | 'form', string>>>({});
  const [busy, setBusy] = useState(false);
  const saved = draftOf(view);
  const dirty = JSON.stringify(saved) !== JSON.stringify(draft);
  const savedKey = JSON.stringify(saved);

  // Another face changed it: show what is stored, unless the user is mid-edit.
  useEffect(() => {
    if (!dirty) setDraft(JSON.parse(savedKey) as Draft);
  }, [savedKey]);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    try {
      await api.call('servers.update', {
        name: view.name,
        changes: {
          restart: {
            policy: draft.policy,
            delayMs: Math.round(draft.delaySec * 1000),
            maxDelayMs: Math.round(draft.maxDelaySec * 1000),
            burst: draft.burst,
          },
        },
      });
      notifications.show({ color: 'green', title: 'Restart policy saved', message: `${view.name}: ${policyLabels[draft.policy].toLowerCase()}.` });
    } catch (err) {
      const shape = err instanceof ApiError ? err.shape : { message: (err as Error).message, field: undefined };
      const field = shape.field?.split('.').pop();
      const key = field === 'policy' ? 'policy' : field === 'delayMs' ? 'delaySec' : field === 'maxDelayMs' ? 'maxDelaySec' : field === 'burst' ? 'burst' : 'form';
      setErrors({ [key]: shape.message });
    } finally {
      setBusy(false);
    }
  };

  const number = (key: 'delaySec' | 'maxDelaySec' | 'burst') => (value: string | number) =>
    setDraft((d) => ({ ...d, [key]: typeof value === 'number' ? value : Number(value) }));

  return (
    <Paper withBorder radius="md" p="sm" component="section" aria-labelledby={`restart-policy-${view.id}`}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="sm">
          <Title order={3} size="h5" id={`restart-policy-${view.id}`}>
            Restart policy
          </Title>
          <Group grow align="flex-start">
            <Select
              label="When it exits"
              data={(Object.keys(policyLabels) as Policy[]).map((value) => ({ value, label: policyLabels[value] }))}
              value={draft.policy}
              onChange={(value) => value && setDraft((d) => ({ ...d, policy: value as Policy }))}
              error={errors.policy}
              allowDeselect={false}
            />
            <NumberInput label="First delay (s)" min={0} step={0.5} decimalScale={3} value={draft.delaySec} onChange={number('delaySec')} error={errors.delaySec} disabled={draft.policy === 'no'} />
            <NumberInput label="Longest delay (s)" min={0} step={1} value={draft.maxDelaySec} onChange={number('maxDelaySec')} error={errors.maxDelaySec} disabled={draft.policy === 'no'} />
            <NumberInput label="Give up after starts in a minute" min={1} step={1} value={draft.burst} onChange={number('burst')} error={errors.burst} disabled={draft.policy === 'no'} />
          </Group>
          {errors.form && (
            <Text c="red" size="sm" role="alert">
              {errors.form}
            </Text>
          )}
          <Group justify="space-between">
            <Text size="xs" c="dimmed">
              Applies from the next exit, even while it runs. The delay doubles after each quick crash, up to the longest delay.
            </Text>
            <Button type="submit" loading={busy} disabled={!dirty}>
              Save restart policy
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

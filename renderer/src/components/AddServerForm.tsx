import { Button, Group, Paper, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { ApiError } from '../bridge/api';
import { useApi } from '../bridge/context';
import { parseEnvLines, splitCommand } from '../util/split-command';

type Field = 'name' | 'command' | 'port' | 'health' | 'cwd' | 'env';
type Errors = Partial<Record<Field | 'form', string>>;

const empty = { name: '', command: '', port: '', health: '', cwd: '', env: '' };

/** Maps an engine error's field path (`env.A=B`, `health.path`) onto the input it belongs to. */
function fieldOf(path: string | undefined): Field | 'form' {
  const head = path?.split('.')[0];
  return head === 'name' || head === 'command' || head === 'port' || head === 'health' || head === 'cwd' || head === 'env' || head === 'args'
    ? head === 'args'
      ? 'command'
      : head
    : 'form';
}

export function AddServerForm({ onAdded }: { onAdded?: (name: string) => void }) {
  const api = useApi();
  const [values, setValues] = useState(empty);
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);

  const set = (field: Field) => (e: { currentTarget: { value: string } }) => {
    const value = e.currentTarget.value;
    setValues((v) => ({ ...v, [field]: value }));
  };

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const local: Errors = {};
    let words: string[] = [];
    let env: Record<string, string> = {};
    try {
      words = splitCommand(values.command);
    } catch (err) {
      local.command = `command: ${(err as Error).message}`;
    }
    try {
      env = parseEnvLines(values.env);
    } catch (err) {
      local.env = `env: ${(err as Error).message}`;
    }
    const port = values.port.trim() === '' ? undefined : Number(values.port);
    if (port !== undefined && !Number.isInteger(port)) local.port = 'port must be a whole number between 1 and 65535';
    if (Object.keys(local).length) return setErrors(local);

    setBusy(true);
    setErrors({});
    try {
      const [command = '', ...args] = words;
      const view = await api.call('servers.add', {
        name: values.name,
        command,
        args,
        port,
        cwd: values.cwd.trim() || undefined,
        env,
        health: values.health.trim() ? { path: values.health.trim() } : undefined,
      });
      setValues(empty);
      onAdded?.(view.name);
    } catch (err) {
      const shape = err instanceof ApiError ? err.shape : { message: (err as Error).message, field: undefined };
      setErrors({ [fieldOf(shape.field)]: shape.message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="add-server-title">
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="sm">
          <Title order={2} size="h4" id="add-server-title">
            Add a server
          </Title>
          <Group grow align="flex-start">
            <TextInput label="Name" placeholder="my-model" value={values.name} onChange={set('name')} error={errors.name} required />
            <TextInput label="Port" placeholder="8000" inputMode="numeric" value={values.port} onChange={set('port')} error={errors.port} />
            <TextInput label="Health path" placeholder="/health" value={values.health} onChange={set('health')} error={errors.health} />
          </Group>
          <TextInput
            label="Command"
            description="The executable and its arguments, run directly (no shell)"
            placeholder="python3 -m http.server 8000 --bind 127.0.0.1"
            value={values.command}
            onChange={set('command')}
            error={errors.command}
            required
            ff="monospace"
          />
          <Group grow align="flex-start">
            <TextInput label="Working directory" placeholder="(your home directory)" value={values.cwd} onChange={set('cwd')} error={errors.cwd} />
            <Textarea label="Environment" description="One NAME=VALUE per line" autosize minRows={1} value={values.env} onChange={set('env')} error={errors.env} ff="monospace" />
          </Group>
          {errors.form && (
            <Text c="red" size="sm" role="alert">
              {errors.form}
            </Text>
          )}
          <Group justify="flex-end">
            <Button type="submit" loading={busy}>
              Add server
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

import { Button, Group, Paper, SegmentedControl, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { ServerAddInput, ServerProfile } from '../../../main/core/api';
import { ApiError } from '../bridge/api';
import { useApi } from '../bridge/context';
import { useProfiles } from '../state/use-profiles';
import { parseEnvLines, splitCommand } from '../util/split-command';

/** Commands and environment are code: monospace in the input only, not the label. */
const mono = { input: 'mono-input' };

type Field = 'name' | 'command' | 'args' | 'port' | 'health' | 'cwd' | 'env' | 'restart';
type Errors = Partial<Record<Field | 'form' | 'profile', string>>;
type Policy = 'default' | 'no' | 'on-failure' | 'always';

const empty = { name: '', command: '', args: '', port: '', health: '', cwd: '', env: '' };
const fields: readonly string[] = ['name', 'command', 'args', 'port', 'health', 'cwd', 'env', 'restart', 'profile'];

/** Maps an engine error's field path (`env.A`, `health.path`, `restart.delayMs`) onto its input. */
function fieldOf(path: string | undefined): Field | 'form' | 'profile' {
  const head = path?.split('.')[0] ?? '';
  if (head === 'kind' || head === 'autoPort') return 'form';
  return fields.includes(head) ? (head as Field) : 'form';
}

/** A profile with no command of its own ("Any command") takes the whole command line. */
const wantsCommandLine = (p: ServerProfile | undefined): boolean => !p || p.command === '';

export function AddServerForm({ onAdded, bare = false }: { onAdded?: (name: string) => void; /** Inside a modal that has its own title. */ bare?: boolean }) {
  const api = useApi();
  const { profiles, error: profilesError } = useProfiles();
  const [profileId, setProfileId] = useState<string | null>('generic');
  const [kind, setKind] = useState<'server' | 'job'>('server');
  const [policy, setPolicy] = useState<Policy>('default');
  const [values, setValues] = useState(empty);
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const profile = profiles.find((p) => p.id === profileId);
  const commandLine = wantsCommandLine(profile);

  const set = (field: keyof typeof empty) => (e: { currentTarget: { value: string } }) => {
    const value = e.currentTarget.value;
    setValues((v) => ({ ...v, [field]: value }));
  };

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const local: Errors = {};
    let words: string[] = [];
    let extra: string[] = [];
    let env: Record<string, string> = {};
    try {
      words = splitCommand(values.command);
    } catch (err) {
      local.command = `command: ${(err as Error).message}`;
    }
    try {
      extra = splitCommand(values.args);
    } catch (err) {
      local.args = `arguments: ${(err as Error).message}`;
    }
    try {
      env = parseEnvLines(values.env);
    } catch (err) {
      local.env = `env: ${(err as Error).message}`;
    }
    const port = values.port.trim() === '' ? undefined : Number(values.port);
    if (port !== undefined && !Number.isInteger(port)) local.port = 'port must be a whole number between 1 and 65535';
    if (Object.keys(local).length) return setErrors(local);

    const [command, ...args] = words;
    const input: ServerAddInput = {
      name: values.name.trim() || profile?.id || '',
      profile: profile?.id,
      // With a profile, a typed command replaces its executable; extra arguments follow its own.
      command: commandLine ? (command ?? '') : command,
      args: commandLine ? [...args, ...extra] : extra,
      port,
      cwd: values.cwd.trim() || undefined,
      env,
      kind,
      health: values.health.trim() ? { path: values.health.trim() } : undefined,
      restart: policy === 'default' ? undefined : { policy },
    };
    setBusy(true);
    setErrors({});
    try {
      const view = await api.call('servers.add', input);
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
    <Paper withBorder={!bare} p={bare ? 0 : 'md'} radius="md" component="section" aria-label="Add a server">
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="sm">
          {!bare && (
            <Title order={3} size="h4">
              Server definition
            </Title>
          )}
          <Group grow align="flex-start" wrap="wrap">
            <Select
              label="Profile"
              description="What kind of server: fills in its loopback flag, port and health check"
              data={profiles.map((p) => ({ value: p.id, label: p.title }))}
              value={profileId}
              onChange={setProfileId}
              allowDeselect={false}
              error={errors.profile ?? profilesError}
              miw={220}
            />
            <div>
              <Text size="sm" fw={500} mb={4} id="kind-label">
                Kind
              </Text>
              <SegmentedControl
                aria-labelledby="kind-label"
                value={kind}
                onChange={(v) => setKind(v as 'server' | 'job')}
                data={[
                  { value: 'server', label: 'Server' },
                  { value: 'job', label: 'Job' },
                ]}
              />
            </div>
          </Group>
          {profile && (
            <Text size="sm" c="dimmed" data-testid="profile-facts">
              {profile.command ? `Runs ${[profile.command, ...profile.args].join(' ')}. ` : ''}
              Loopback: {profile.loopback}. Port: {profile.port}.{profile.needs ? ` Needs ${profile.needs}.` : ''}
              {profile.notes ? ` ${profile.notes}` : ''}
            </Text>
          )}
          <Group grow align="flex-start" wrap="wrap">
            <TextInput label="Name" name="name" placeholder={profile?.id ?? 'my-model'} value={values.name} onChange={set('name')} error={errors.name} required miw={160} />
            <TextInput
              label="Port"
              placeholder={String(profile?.defaultPort ?? 8000)}
              inputMode="numeric"
              value={values.port}
              onChange={set('port')}
              error={errors.port}
              miw={100}
            />
            <TextInput
              label="Health path"
              placeholder={profile?.healthPath ?? '/health'}
              value={values.health}
              onChange={set('health')}
              error={errors.health}
              miw={140}
            />
          </Group>
          {commandLine ? (
            <TextInput
              label="Command"
              description="The executable and its arguments, run directly (no shell); write {port} where the port goes"
              placeholder="python3 -m http.server {port} --bind 127.0.0.1"
              value={values.command}
              onChange={set('command')}
              error={errors.command ?? errors.args}
              required
              classNames={mono}
            />
          ) : (
            <Group grow align="flex-start" wrap="wrap">
              <TextInput
                label="Executable"
                description="Leave empty to use the profile's"
                placeholder={profile?.command}
                value={values.command}
                onChange={set('command')}
                error={errors.command}
                classNames={mono}
                miw={200}
              />
              <TextInput
                label="Extra arguments"
                description="Added after the profile's own"
                placeholder={profile?.needs ?? ''}
                value={values.args}
                onChange={set('args')}
                error={errors.args}
                classNames={mono}
                miw={200}
              />
            </Group>
          )}
          <Group grow align="flex-start" wrap="wrap">
            <TextInput label="Working directory" placeholder="(your home directory)" value={values.cwd} onChange={set('cwd')} error={errors.cwd} miw={200} />
            <Textarea
              label="Environment"
              description="One NAME=VALUE per line"
              autosize
              minRows={1}
              value={values.env}
              onChange={set('env')}
              error={errors.env}
              classNames={mono}
              miw={200}
            />
            <Select
              label="Restart"
              data={[
                { value: 'default', label: kind === 'job' ? 'Default (never)' : 'Default (on failure)' },
                { value: 'on-failure', label: 'On failure' },
                { value: 'always', label: 'Always' },
                { value: 'no', label: 'Never' },
              ]}
              value={policy}
              onChange={(v) => setPolicy((v as Policy | null) ?? 'default')}
              allowDeselect={false}
              error={errors.restart}
              miw={160}
            />
          </Group>
          {errors.form && (
            <Text c="var(--pc-text-red)" size="sm" role="alert">
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

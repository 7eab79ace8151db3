import { Button, Group } from '@mantine/core';
import type { ServerView } from '../../../main/core/api';
import { useServerAction } from '../state/use-server-action';

export function isActive(view: ServerView): boolean {
  return view.state === 'running' || view.state === 'starting' || view.state === 'stopping' || view.state === 'backoff';
}

/** Start, or stop and restart; Reset for a server that gave up. Each names its server. */
export function ServerActions({ view, size = 'xs' }: { view: ServerView; size?: 'xs' | 'sm' }) {
  const { busy, run } = useServerAction(view.name);
  const active = isActive(view);
  return (
    <Group gap="xs" wrap="nowrap">
      {active ? (
        <>
          <Button size={size} variant="light" color="red" loading={busy === 'stop' || view.state === 'stopping'} disabled={busy !== null} onClick={() => void run('stop')} aria-label={`Stop ${view.name}`}>
            Stop
          </Button>
          <Button size={size} variant="default" loading={busy === 'restart'} disabled={busy !== null} onClick={() => void run('restart')} aria-label={`Restart ${view.name}`}>
            Restart
          </Button>
        </>
      ) : view.state === 'failed' ? (
        <Button size={size} variant="light" color="orange" loading={busy === 'reset'} onClick={() => void run('reset')} aria-label={`Reset and start ${view.name}`}>
          Reset
        </Button>
      ) : (
        <Button size={size} variant="light" loading={busy === 'start'} onClick={() => void run('start')} aria-label={`Start ${view.name}`}>
          Start
        </Button>
      )}
    </Group>
  );
}

import { List, SegmentedControl } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import type { ExposureMode } from '../../../../main/core/api';
import { useApi } from '../../bridge/context';
import { useExposuresState } from '../../state/use-exposures';
import { errorMessage } from '../../util/format';
import { sentence } from '../../util/sentence';
import { CreatedTokenModal, type CreatedToken } from './CreatedTokenModal';
import { LanModal, type LanChoice } from './LanModal';
import { PublicModal } from './PublicModal';

const modeColor: Record<ExposureMode, string> = { local: 'gray', lan: 'blue', public: 'orange' };

/**
 * [Local | LAN | Public] for one server. Local locks down at once; LAN asks which interface;
 * Public asks for a confirmation of what becomes reachable and for how long.
 */
export function ExposureControl({ server, size = 'xs' }: { server: string; size?: 'xs' | 'sm' }) {
  const api = useApi();
  const { byServer } = useExposuresState();
  const mode: ExposureMode = byServer[server]?.mode ?? 'local';
  const [asking, setAsking] = useState<'lan' | 'public' | null>(null);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<CreatedToken | null>(null);

  const expose = async (args: { mode: 'lan' | 'public' } & Partial<LanChoice> & { confirm?: boolean }): Promise<void> => {
    const result = await api.call('exposure.expose', { name: server, ...args });
    setAsking(null);
    if (result.createdToken) setCreated({ server, label: result.createdToken.label, secret: result.createdToken.secret });
    notifications.show({
      color: args.mode === 'public' ? 'orange' : 'blue',
      title: `${server} is exposed ${args.mode === 'public' ? 'publicly' : 'on the LAN'}`,
      message: `${result.exposure.encrypted ? 'HTTPS' : 'Plain HTTP, not encrypted'}: ${result.exposure.urls.join('  ') || 'the gateway is listening.'}`,
    });
    // What the engine says the user must know (such as public traffic in the clear) stays until read.
    const warnings = result.warnings.map(sentence);
    if (warnings.length > 0) {
      notifications.show({
        color: 'yellow',
        title: `Before you share ${server}`,
        message:
          warnings.length === 1 ? (
            warnings[0]
          ) : (
            <List size="sm">
              {warnings.map((w) => (
                <List.Item key={w}>{w}</List.Item>
              ))}
            </List>
          ),
        autoClose: false,
        'data-testid': 'expose-warnings',
      });
    }
  };

  const lockdown = async (): Promise<void> => {
    setBusy(true);
    try {
      await api.call('exposure.lockdown', { name: server });
      notifications.show({ message: `${server} is locked down: reachable from this machine only` });
    } catch (err) {
      notifications.show({ color: 'red', title: `Could not lock down ${server}`, message: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  const choose = (next: string): void => {
    if (next === mode) return;
    if (next === 'local') void lockdown();
    else setAsking(next as 'lan' | 'public');
  };

  return (
    <>
      <SegmentedControl
        size={size}
        value={mode}
        onChange={choose}
        disabled={busy}
        color={modeColor[mode]}
        aria-label={`Exposure of ${server}`}
        data-testid={`exposure-${server}`}
        data={[
          { value: 'local', label: 'Local' },
          { value: 'lan', label: 'LAN' },
          { value: 'public', label: 'Public' },
        ]}
      />
      <LanModal server={server} opened={asking === 'lan'} onClose={() => setAsking(null)} onChoose={(c) => expose({ mode: 'lan', ...c })} />
      <PublicModal
        server={server}
        opened={asking === 'public'}
        onClose={() => setAsking(null)}
        onConfirm={(durationMs) => expose({ mode: 'public', durationMs, confirm: true })}
      />
      <CreatedTokenModal token={created} onClose={() => setCreated(null)} />
    </>
  );
}

import { notifications } from '@mantine/notifications';
import { useApi } from '../bridge/context';
import { copySecret, SECRET_CLEAR_MS } from '../util/clipboard';
import { errorMessage } from '../util/format';
import { useSystem } from './system';

/**
 * Copies a token's secret. The desktop engine writes the clipboard itself and clears it after
 * 30 s (`tokens.copy`); the browser reads the secret once (`tokens.reveal`, audited) and
 * clears the clipboard itself after 30 s if it still holds the token.
 */
export function useTokenCopy(): (server: string, id: string, label: string) => Promise<void> {
  const api = useApi();
  const system = useSystem();
  return async (server, id, label) => {
    try {
      let seconds = SECRET_CLEAR_MS / 1000;
      if (system?.face === 'desktop') {
        const { clearsAfterMs } = await api.call('tokens.copy', { server, id });
        seconds = Math.round(clearsAfterMs / 1000);
      } else {
        const { secret } = await api.call('tokens.reveal', { server, id, purpose: 'copy' });
        await copySecret(secret);
      }
      notifications.show({ title: `Copied ${label}`, message: `Copied — clipboard clears in ${seconds} s` });
    } catch (err) {
      notifications.show({ color: 'red', title: `Could not copy ${label}`, message: errorMessage(err) });
    }
  };
}

import { notifications } from '@mantine/notifications';
import { useEffect, useRef } from 'react';
import type { ServerView } from '../../../main/core/api';
import { useApi } from '../bridge/context';
import { toastForChange, toastForRestart, type Toast } from './event-toasts';

/**
 * In the browser, what happens to servers is said as toasts. The desktop app says it with
 * the OS's notifications instead (main/shell/notifications.ts), so the window stays quiet.
 */
export function useEventToasts(): void {
  const api = useApi();
  const seen = useRef(new Map<string, ServerView>());
  useEffect(() => {
    let enabled = false;
    const show = (toast: Toast | null): void => {
      if (toast && enabled) notifications.show({ ...toast, autoClose: toast.color === 'red' ? false : 8_000 });
    };
    api
      .call('system.info', {})
      .then((info) => (enabled = info.face !== 'desktop'))
      .catch(() => undefined);
    api
      .call('servers.list', {})
      .then((list) => list.forEach((v) => seen.current.set(v.id, v)))
      .catch(() => undefined);
    const offChanged = api.on('server.changed', (view) => {
      show(toastForChange(seen.current.get(view.id), view));
      seen.current.set(view.id, view);
    });
    const offRestart = api.on('server.restart', (e) => show(toastForRestart(e)));
    return () => {
      offChanged();
      offRestart();
    };
  }, [api]);
}

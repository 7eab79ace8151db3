import { notifications } from '@mantine/notifications';
import { useEffect, useRef } from 'react';
import type { ServerView } from '../../../main/core/api';
import { useApi } from '../bridge/context';
import { AuthFailureWatch, expiryWarningAt, toastForChange, toastForRestart, type Toast } from './event-toasts';

/**
 * In the browser, what happens is said as toasts: crashes, failures, health, an exposure
 * about to end or ended, repeated failed sign-ins. The desktop app says these with the OS's
 * notifications instead (main/shell/notifications.ts), so its window stays quiet.
 */
export function useEventToasts(): void {
  const api = useApi();
  const seen = useRef(new Map<string, ServerView>());
  useEffect(() => {
    let enabled = false;
    const auth = new AuthFailureWatch();
    const unwell = new Set<string>();
    const expiry = new Map<string, ReturnType<typeof setTimeout>>();
    const show = (toast: Toast | null): void => {
      if (toast && enabled) notifications.show({ color: toast.color, title: toast.title, message: toast.message, autoClose: toast.color === 'red' ? false : 8_000 });
    };
    const schedule = (e: { server: string; mode: string; expiresAt: string | null; since: string | null }): void => {
      clearTimeout(expiry.get(e.server));
      const at = expiryWarningAt(e);
      if (at === null || !e.expiresAt) return;
      const minutes = Math.max(1, Math.round((Date.parse(e.expiresAt) - at) / 60_000));
      expiry.set(
        e.server,
        setTimeout(
          () => show({ color: 'orange', title: `${e.server}'s public exposure ends soon`, message: `In about ${minutes} min it returns to local.` }),
          Math.max(0, at - Date.now()),
        ),
      );
    };
    api
      .call('system.info', {})
      .then((info) => (enabled = info.face !== 'desktop'))
      .catch(() => undefined);
    api
      .call('servers.list', {})
      .then((list) => list.forEach((v) => seen.current.set(v.id, v)))
      .catch(() => undefined);
    api
      .call('exposure.list', {})
      .then((list) => list.forEach(schedule))
      .catch(() => undefined);
    const offs = [
      api.on('server.changed', (view) => {
        const toast = toastForChange(seen.current.get(view.id), view, unwell.has(view.id));
        if (toast?.kind === 'unhealthy') unwell.add(view.id);
        if (view.health.status === 'healthy' || view.state !== 'running') unwell.delete(view.id);
        show(toast);
        seen.current.set(view.id, view);
      }),
      api.on('server.restart', (e) => show(toastForRestart(e))),
      api.on('exposure.changed', (change) => {
        schedule(change);
        if (change.cause === 'expired') show({ color: 'blue', title: `${change.server}'s exposure ended`, message: 'Its time box ran out: it is local again.' });
        if (change.cause === 'address-lost') {
          show({ color: 'orange', title: `${change.server}'s exposure ended`, message: `${change.reason ?? 'Its address left this machine'}: it is local again. Expose it again to choose an address.` });
        }
      }),
      api.on('exposure.access', ({ records }) => auth.add(records).forEach(show)),
    ];
    return () => {
      offs.forEach((off) => off());
      expiry.forEach((t) => clearTimeout(t));
    };
  }, [api]);
}

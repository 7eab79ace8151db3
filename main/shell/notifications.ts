import { Notification } from 'electron';
import type { AccessRecord, ExposureChange } from '../core/contract/exposure.js';
import type { RestartEvent, ServerView } from '../core/contract/servers.js';
import type { EventBus } from '../core/events.js';
import { NotificationRules, type Notice } from './notification-rules.js';

export interface DesktopNotificationOptions {
  bus: EventBus;
  /** Opens the window at the notice's route when it is clicked. */
  open(route: string): void;
}

/**
 * Desktop notifications for what the user must know while the window is closed: a server
 * failed or crashed, fell unhealthy, was exposed or locked down, a public exposure is about to
 * expire or expired, repeated failed authentications from one address.
 */
export function startDesktopNotifications(options: DesktopNotificationOptions): () => void {
  const rules = new NotificationRules();
  const expiry = new Map<string, NodeJS.Timeout>();

  const show = (notice: Notice | null): void => {
    if (!notice || !Notification.isSupported()) return;
    const n = new Notification({ title: notice.title, body: notice.body, urgency: notice.critical ? 'critical' : 'normal' });
    n.on('click', () => options.open(notice.route));
    n.show();
  };

  const scheduleExpiry = (change: ExposureChange): void => {
    clearTimeout(expiry.get(change.server));
    expiry.delete(change.server);
    const at = NotificationRules.expiryWarningAt(change);
    if (at === null || !change.expiresAt) return;
    const minutes = Math.max(1, Math.round((new Date(change.expiresAt).getTime() - at) / 60_000));
    const timer = setTimeout(() => {
      expiry.delete(change.server);
      show({
        title: `${change.server}'s public exposure ends soon`,
        body: `In about ${minutes} min it returns to local. If clients still need it, give it more time from the tray (Back to local…) or its Exposure tab.`,
        critical: false,
        route: `#/servers/${encodeURIComponent(change.server)}/exposure`,
      });
    }, Math.max(0, at - Date.now()));
    timer.unref?.();
    expiry.set(change.server, timer);
  };

  const unsubscribe = options.bus.subscribe((event, payload) => {
    switch (event as string) {
      case 'server.changed':
        return show(rules.onServer(payload as ServerView));
      case 'server.restart':
        return show(rules.onRestart(payload as RestartEvent));
      case 'exposure.changed':
        scheduleExpiry(payload as ExposureChange);
        return show(rules.onExposure(payload as ExposureChange));
      case 'exposure.access':
        return (rules.onAccess((payload as { records: AccessRecord[] }).records)).forEach(show);
      default:
        return undefined;
    }
  });

  return () => {
    unsubscribe();
    for (const timer of expiry.values()) clearTimeout(timer);
  };
}

/** One notice outside the rules (a refused tray action), clicked to open the window. */
export function showDesktopNotice(title: string, body: string, open?: () => void): void {
  if (!Notification.isSupported()) return;
  const n = new Notification({ title, body });
  if (open) n.on('click', open);
  n.show();
}

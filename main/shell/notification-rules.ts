import type { AccessRecord, ExposureChange } from '../core/contract/exposure.js';
import type { RestartEvent, ServerView } from '../core/contract/servers.js';

/** One desktop notification: what happened, and where clicking it should take the user. */
export interface Notice {
  title: string;
  body: string;
  critical: boolean;
  /** The window route to open on click. */
  route: string;
}

const serverRoute = (name: string): string => `#/servers/${encodeURIComponent(name)}/logs`;

/** Failed authentications from one address within WINDOW_MS that make a notice. */
export const FAILED_AUTH_THRESHOLD = 5;
export const FAILED_AUTH_WINDOW_MS = 60_000;
/** Public exposure: warn this long before it ends (or at half time for shorter boxes). */
export const EXPIRY_WARNING_MS = 5 * 60_000;

/**
 * The rules for desktop notifications, as a small state machine fed every engine event. It
 * remembers only what it needs: each server's last state and health, failed-auth times per
 * address. Electron-free, so each rule is unit-tested.
 */
export class NotificationRules {
  private readonly servers = new Map<string, Pick<ServerView, 'state' | 'health'>>();
  private readonly failures = new Map<string, number[]>();
  private readonly warnedAddress = new Map<string, number>();

  onServer(view: ServerView): Notice | null {
    const before = this.servers.get(view.id);
    this.servers.set(view.id, { state: view.state, health: view.health });
    if (!before) return null;
    if (view.state === 'failed' && before.state !== 'failed') {
      return {
        title: `${view.name} failed`,
        body: `${view.lastExit?.reason ?? 'It could not be kept running'}. Open Portcullis, read its log, then Reset it.`,
        critical: true,
        route: serverRoute(view.name),
      };
    }
    // Only a server that was healthy can fall ill: failed probes while it starts are not news.
    if (view.state === 'running' && view.health.status === 'unhealthy' && before.health.status === 'healthy') {
      return { title: `${view.name} is unhealthy`, body: view.health.detail ?? 'Its health check is failing.', critical: false, route: serverRoute(view.name) };
    }
    return null;
  }

  onRestart(e: RestartEvent): Notice {
    return {
      title: `${e.name} crashed`,
      body: `${e.reason}. Restarting in ${Math.round(e.delayMs / 1000)} s (attempt ${e.attempt}).`,
      critical: false,
      route: serverRoute(e.name),
    };
  }

  onExposure(change: ExposureChange): Notice | null {
    const route = `#/servers/${encodeURIComponent(change.server)}/exposure`;
    switch (change.cause) {
      case 'exposed': {
        const where = change.mode === 'public' ? 'publicly, on every network' : `on the LAN at ${change.bind ?? 'an interface'}`;
        const until = change.expiresAt ? ` until ${new Date(change.expiresAt).toLocaleTimeString()}` : '';
        return { title: `${change.server} is exposed`, body: `Reachable ${where}${until}, with a token: ${change.urls.join(', ')}`, critical: change.mode === 'public', route };
      }
      case 'expired':
        return { title: `${change.server}'s exposure ended`, body: 'Its time box ran out: it is local again.', critical: false, route };
      case 'address-lost':
        return { title: `${change.server}'s exposure ended`, body: `${change.reason ?? 'Its address left this machine'}: it is local again. Expose it again to choose an address.`, critical: false, route };
      case 'locked-down':
        return { title: `${change.server} is locked down`, body: 'It is reachable from this machine only.', critical: false, route };
      default:
        return null;
    }
  }

  /** Access records: a notice when one address fails authentication again and again. */
  onAccess(records: readonly AccessRecord[], now = Date.now()): Notice[] {
    const notices: Notice[] = [];
    for (const r of records) {
      if (r.status !== 401 && r.status !== 403) continue;
      const times = (this.failures.get(r.client) ?? []).filter((t) => now - t < FAILED_AUTH_WINDOW_MS);
      times.push(now);
      this.failures.set(r.client, times);
      const warned = this.warnedAddress.get(r.client) ?? -Infinity;
      if (times.length >= FAILED_AUTH_THRESHOLD && now - warned > FAILED_AUTH_WINDOW_MS * 10) {
        this.warnedAddress.set(r.client, now);
        notices.push({
          title: `Repeated failed sign-ins from ${r.client}`,
          body: `${times.length} requests to ${r.server} without a valid token in the last minute. If you do not know this client, lock ${r.server} down.`,
          critical: true,
          route: '#/audit',
        });
      }
    }
    return notices;
  }

  /** When to warn that a time-boxed public exposure is about to end; null for none. */
  static expiryWarningAt(change: ExposureChange): number | null {
    if (change.cause !== 'exposed' || change.mode !== 'public' || !change.expiresAt) return null;
    const end = new Date(change.expiresAt).getTime();
    const start = change.since ? new Date(change.since).getTime() : Date.now();
    return Math.max(start + (end - start) / 2, end - EXPIRY_WARNING_MS);
  }
}

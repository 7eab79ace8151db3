import { describe, expect, it, vi } from 'vitest';
import type { AccessRecord, ExposureChange } from '../../main/core/api.js';
import { startTestEngine } from '../helpers/engine.js';
import { waitFor } from '../helpers/wait.js';

// Electron cannot run here: notifications are recorded instead of shown.
const shown = vi.hoisted(() => [] as { title: string; body: string; urgency: string; click?: () => void }[]);
vi.mock('electron', () => ({
  Notification: class {
    static isSupported() {
      return true;
    }
    private click?: () => void;
    constructor(private readonly o: { title: string; body: string; urgency: string }) {}
    on(_event: 'click', listener: () => void) {
      this.click = listener;
    }
    show() {
      shown.push({ ...this.o, click: this.click });
    }
  },
}));

const { startDesktopNotifications } = await import('../../main/shell/notifications.js');
const { NotificationRules, FAILED_AUTH_THRESHOLD } = await import('../../main/shell/notification-rules.js');

const exposure = (over: Partial<ExposureChange>): ExposureChange => ({
  server: 'web',
  mode: 'public',
  bind: '0.0.0.0',
  port: 8443,
  urls: ['http://192.168.1.20:8443/'],
  encrypted: false,
  expiresAt: null,
  since: '2026-01-01T12:00:00.000Z',
  cause: 'exposed',
  ...over,
});

describe('desktop notifications', () => {
  it('says when a server crashes and is restarted, and clicking opens its log', async () => {
    const engine = await startTestEngine();
    const opened: string[] = [];
    const stop = startDesktopNotifications({ bus: engine.panel.bus, open: (route) => opened.push(route) });
    await engine.call('servers.add', {
      name: 'flaky',
      command: process.execPath,
      args: ['-e', 'console.error("boom"); process.exit(3)'],
      restart: { policy: 'on-failure', delayMs: 100, burst: 2, intervalMs: 60_000 },
    });
    await engine.call('servers.start', { name: 'flaky' });
    const crash = await waitFor(() => shown.find((n) => n.title === 'flaky crashed'), 15_000, 'a crash notification');
    expect(crash.body).toMatch(/Restarting in/);
    crash.click?.();
    expect(opened).toEqual(['#/servers/flaky/logs']);
    // After the start limit it gives up: a critical notice says so and what to do.
    const failed = await waitFor(() => shown.find((n) => n.title === 'flaky failed'), 15_000, 'a failed notification');
    expect(failed.urgency).toBe('critical');
    expect(failed.body).toMatch(/Reset/);
    stop();
  });

  it('says what a public exposure reaches and warns before its time box ends', () => {
    const rules = new NotificationRules();
    const notice = rules.onExposure(exposure({ expiresAt: '2026-01-01T13:00:00.000Z' }));
    expect(notice?.title).toBe('web is exposed');
    expect(notice?.body).toContain('publicly, on every network');
    expect(notice?.body).toContain('http://192.168.1.20:8443/');
    expect(notice?.critical).toBe(true);
    // One hour box: the warning comes five minutes before the end.
    expect(NotificationRules.expiryWarningAt(exposure({ expiresAt: '2026-01-01T13:00:00.000Z' }))).toBe(Date.parse('2026-01-01T12:55:00.000Z'));
    // Four minutes: at half time rather than before the start.
    expect(NotificationRules.expiryWarningAt(exposure({ expiresAt: '2026-01-01T12:04:00.000Z' }))).toBe(Date.parse('2026-01-01T12:02:00.000Z'));
    expect(NotificationRules.expiryWarningAt(exposure({ mode: 'lan', expiresAt: '2026-01-01T13:00:00.000Z' }))).toBeNull();
    expect(rules.onExposure(exposure({ cause: 'expired', mode: 'local' }))?.title).toBe("web's exposure ended");
    const lost = rules.onExposure(exposure({ cause: 'address-lost', mode: 'local', reason: '192.168.1.20 is no longer an address of this machine' }));
    expect(lost?.title).toBe("web's exposure ended");
    expect(lost?.body).toBe('192.168.1.20 is no longer an address of this machine: it is local again. Expose it again to choose an address.');
  });

  it('warns once about repeated failed authentications from one address, not about one mistake', () => {
    const rules = new NotificationRules();
    const denied = (client: string): AccessRecord => ({
      at: '2026-01-01T12:00:00.000Z',
      server: 'web',
      mode: 'lan',
      client,
      method: 'GET',
      path: '/',
      status: 401,
      bytesIn: 0,
      bytesOut: 0,
      durationMs: 1,
      reason: 'unknown token',
    });
    const t0 = 1_000_000;
    expect(rules.onAccess([denied('10.0.0.9')], t0)).toEqual([]);
    const burst = Array.from({ length: FAILED_AUTH_THRESHOLD - 1 }, () => denied('10.0.0.7'));
    expect(rules.onAccess(burst, t0)).toEqual([]);
    const notices = rules.onAccess([denied('10.0.0.7'), denied('10.0.0.7')], t0 + 1_000);
    expect(notices).toHaveLength(1);
    expect(notices[0]?.title).toBe('Repeated failed sign-ins from 10.0.0.7');
    // Not again for the same address right away.
    expect(rules.onAccess([denied('10.0.0.7')], t0 + 2_000)).toEqual([]);
  });
});

import type { Envelope, RawBridge } from '../../../main/core/api';

/**
 * The browser face's bridge to `portcullis serve`: calls over fetch, events over one
 * WebSocket that reconnects. The session token comes from the URL fragment, which browsers
 * never send to a server.
 */
export function createWebBridge(token: string): RawBridge {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let socket: WebSocket | null = null;
  let retryMs = 250;

  const connect = (): void => {
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/events`;
    socket = new WebSocket(url, ['portcullis', `token.${token}`]);
    socket.onopen = () => {
      retryMs = 250;
      dispatch('bridge.connected', null);
    };
    socket.onmessage = (message) => {
      const { event, payload } = JSON.parse(String(message.data)) as { event: string; payload: unknown };
      dispatch(event, payload);
    };
    socket.onclose = () => {
      dispatch('bridge.disconnected', null);
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 5_000);
    };
  };

  const dispatch = (event: string, payload: unknown): void => {
    for (const listener of listeners.get(event) ?? []) listener(payload);
  };

  connect();

  return {
    async invoke(method, args) {
      try {
        const res = await fetch(`/api/call/${encodeURIComponent(method)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify(args ?? {}),
        });
        return (await res.json()) as Envelope<unknown>;
      } catch {
        return { ok: false, error: { code: 'unavailable', message: 'Portcullis is not answering: is `portcullis serve` still running?' } };
      }
    },
    on(event, callback) {
      const set = listeners.get(event) ?? new Set();
      set.add(callback);
      listeners.set(event, set);
      return () => set.delete(callback);
    },
  };
}

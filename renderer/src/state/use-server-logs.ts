import { useEffect, useState } from 'react';
import type { LogLine } from '../../../main/core/api';
import { useApi } from '../bridge/context';
import { LogBuffer } from './log-buffer';

/** How much history is fetched when a log view opens. */
const INITIAL_TAIL = 5_000;

/**
 * One server's log, live: the tail is fetched once, then `server.log` events append to a
 * bounded buffer. Renders are coalesced to one per animation frame however fast lines arrive,
 * so a flood of output cannot starve the page.
 */
export function useServerLogs(name: string, capacity?: number): { buffer: LogBuffer; version: number; error: string | null } {
  const api = useApi();
  const [buffer] = useState(() => new LogBuffer(capacity));
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let frame = 0;
    let live = true;
    let pending: LogLine[][] | null = [];
    const bump = (): void => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        if (live) setVersion(buffer.version);
      });
    };
    const off = api.on('server.log', (payload) => {
      if (payload.name !== name) return;
      // Until the tail arrives, live lines wait so the order stays oldest first.
      if (pending) pending.push(payload.lines);
      else {
        buffer.append(payload.lines);
        bump();
      }
    });
    buffer.clear();
    api
      .call('servers.logs', { name, tail: INITIAL_TAIL })
      .then((lines) => {
        buffer.append(lines);
        setError(null);
      })
      .catch((err: Error) => setError(err.message))
      .finally(() => {
        for (const batch of pending ?? []) buffer.append(batch);
        pending = null;
        bump();
      });
    return () => {
      live = false;
      off();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [api, buffer, name]);

  return { buffer, version, error };
}

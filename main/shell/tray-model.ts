import type { Actor } from '../core/api.js';
import type { ExposureMode, ExposureView } from '../core/contract/exposure.js';
import type { ServerView } from '../core/contract/servers.js';
import type { Dispatch } from '../core/dispatch.js';

/** What the tray shows: each server's state and exposure. Electron-free, so it is unit-tested. */
export interface TrayServer {
  name: string;
  state: ServerView['state'];
  mode: ExposureMode;
  urls: string[];
  /** The open listener's address and port: a new time box asks for the same ones, so it is kept. */
  bind: string | null;
  port: number | null;
  expiresAt: string | null;
}

export interface TrayState {
  servers: TrayServer[];
  /** False until the exposure rows exist in the engine: expose items are then left out. */
  exposureAvailable: boolean;
}

export const exposedOf = (state: TrayState): TrayServer[] => state.servers.filter((s) => s.mode !== 'local');

/** "Portcullis — nothing exposed" or who is reachable from where. */
export function trayTooltip(state: TrayState): string {
  const exposed = exposedOf(state);
  if (exposed.length === 0) return 'Portcullis — nothing exposed';
  const list = exposed.map((s) => `${s.name} (${s.mode === 'lan' ? 'LAN' : 'public'})`).join(', ');
  return `Portcullis — exposed: ${list}`;
}

/** Reads servers and exposures through the contract, as any face does. */
export async function readTrayState(dispatch: Dispatch, actor: Actor): Promise<TrayState> {
  const ctx = { actor };
  const servers = await dispatch('servers.list', {}, ctx);
  const exposures = await dispatch('exposure.list', {}, ctx);
  const views = servers.ok ? (servers.result as ServerView[]) : [];
  const byName = new Map<string, ExposureView>(exposures.ok ? (exposures.result as ExposureView[]).map((e) => [e.server, e]) : []);
  return {
    exposureAvailable: exposures.ok,
    servers: views.map((v) => {
      const e = byName.get(v.name);
      return {
        name: v.name,
        state: v.state,
        mode: e?.mode ?? 'local',
        urls: e?.urls ?? [],
        bind: e?.bind ?? null,
        port: e?.port ?? null,
        expiresAt: e?.expiresAt ?? null,
      };
    }),
  };
}

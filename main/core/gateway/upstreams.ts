import type { ServerState } from '../contract/servers.js';
import type { UpstreamTarget } from './listener.js';

interface Row {
  name: string;
  state: ServerState;
  port: number | undefined;
}

/**
 * What the gateway knows of each upstream, kept current from the supervisor's change events,
 * so a request costs one map lookup instead of a view of the server.
 */
export class UpstreamDirectory {
  private readonly rows = new Map<string, Row>();

  set(id: string, name: string, state: ServerState, port: number | undefined): void {
    this.rows.set(id, { name, state, port });
  }

  delete(id: string): void {
    this.rows.delete(id);
  }

  target(id: string): UpstreamTarget {
    const row = this.rows.get(id);
    if (!row) return { ok: false, message: 'this server no longer exists' };
    if (row.port === undefined) return { ok: false, message: `${row.name} has no port to forward to` };
    if (row.state === 'running') return { ok: true, port: row.port };
    return { ok: false, message: `${row.name} is ${row.state}: start it, then try again` };
  }
}

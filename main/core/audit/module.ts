import type { AuditRecord, AuditSourceView, AuditVerifyReport, ServerAuditLine } from '../contract/audit.js';
import type { Keychain } from '../ports.js';
import { readHead } from './head-store.js';
import { AuditJournal } from './journal.js';
import { ServerAuditLogs, type AuditSource } from './server-logs.js';
import type { AuditSettings } from './settings-section.js';
import { verifyJournal, type HeadInput } from './verify.js';

export interface AuditModuleOptions {
  home: string;
  keychain?: Keychain | null;
  homeId: string;
  /** Read at start (size, retention) and whenever sources change. */
  settings: () => AuditSettings;
  /** Each server with the audit file its profile says it writes (null when none). */
  profileSources: () => Array<{ server: string; path: string | null }>;
  /** `omitted`: access records written in the same stretch but not carried live (heavy traffic). */
  onRecords: (records: AuditRecord[], omitted: number) => void;
  onServerLines: (lines: ServerAuditLine[]) => void;
  onWarning: (message: string) => void;
  log?: (message: string, err?: unknown) => void;
}

export interface AuditModule {
  journal: AuditJournal;
  serverLogs: ServerAuditLogs;
  /** Follows the servers' own audit files as settings and profiles now say. */
  syncSources(): AuditSourceView[];
  /** Checks this home's journal against the keychain head. */
  verify(): Promise<AuditVerifyReport>;
  close(): Promise<void>;
}

/** Builds the journal and the tails of the servers' own logs, wired to the given callbacks. */
export function createAuditModule(options: AuditModuleOptions): AuditModule {
  const initial = options.settings();
  const journal = new AuditJournal({
    home: options.home,
    keychain: options.keychain,
    homeId: options.homeId,
    maxFileBytes: initial.maxFileMB * 1024 * 1024,
    retentionDays: initial.retentionDays,
    log: options.log,
  });
  journal.onRecords(options.onRecords);
  journal.onWarning(options.onWarning);
  const serverLogs = new ServerAuditLogs(options.onServerLines);

  const syncSources = (): AuditSourceView[] => {
    const configured = options.settings().sources;
    const sources: AuditSource[] = [];
    for (const { server, path } of options.profileSources()) {
      if (configured[server] === undefined && path) sources.push({ server, path, origin: 'profile' });
    }
    for (const [server, path] of Object.entries(configured)) sources.push({ server, path, origin: 'setting' });
    serverLogs.sync(sources);
    return serverLogs.sources();
  };
  syncSources();

  return {
    journal,
    serverLogs,
    syncSources,
    async verify() {
      await journal.flush().catch(() => undefined);
      return verifyJournal(journal.dir, await headFromKeychain(options.keychain ?? null, options.homeId));
    },
    async close() {
      await serverLogs.close();
      await journal.close();
    },
  };
}

/** The head to check against, or why there is none (verify still checks the chain). */
export async function headFromKeychain(keychain: Keychain | null, homeId: string | null): Promise<HeadInput> {
  if (!keychain) return { unavailable: 'no keychain was given to this Portcullis' };
  if (!homeId) return { head: null };
  try {
    return { head: await readHead(keychain, homeId) };
  } catch (err) {
    return { unavailable: `the keychain cannot be read: ${(err as Error).message}` };
  }
}

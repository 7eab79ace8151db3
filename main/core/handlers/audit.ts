import type { Handlers } from '../api.js';
import type { AuditModule } from '../audit/module.js';
import { queryJournal } from '../audit/query.js';
import type { Settings } from '../settings/store.js';
import { exportJournal } from '../audit/export-text.js';
import { PortcullisError } from '../errors.js';

type AuditHandlers = Pick<
  Handlers,
  'audit.query' | 'audit.export' | 'audit.verify' | 'audit.acceptHead' | 'audit.sources' | 'audit.setSource' | 'audit.serverLog' | 'audit.settings' | 'audit.updateSettings'
>;

export function auditHandlers(deps: { audit: AuditModule; settings: Settings }): AuditHandlers {
  const { audit, settings } = deps;
  const view = () => {
    const { maxFileMB, retentionDays } = settings.get().audit;
    return { maxFileMB, retentionDays, dir: audit.journal.dir };
  };
  return {
    'audit.query': async (args) => {
      // Access records still in the batch are written first, so a query sees every request so far.
      // (A journal that cannot be written can still be read.)
      await audit.journal.flush().catch(() => undefined);
      return queryJournal(audit.journal.dir, args);
    },
    'audit.export': async ({ format, limit, ...filter }) => {
      await audit.journal.flush().catch(() => undefined);
      return exportJournal(audit.journal.dir, filter, format, limit);
    },
    'audit.verify': () => audit.verify(),
    'audit.acceptHead': async (_args, ctx) => {
      const before = await audit.verify();
      // Only a head mismatch can be accepted: a broken chain inside the files stays evidence.
      if (before.problem?.kind !== 'head') {
        throw new PortcullisError(
          'conflict',
          before.problem
            ? `the journal has a ${before.problem.kind} problem at ${before.problem.file} line ${before.problem.line}, not only a head mismatch; it cannot be accepted. Keep the files as evidence, or move the audit folder aside to start a new journal.`
            : 'the journal matches its head; there is nothing to accept.',
        );
      }
      const stored = before.head.checked ? before.head.seq : null;
      await audit.journal.acceptHead({
        kind: 'control',
        actor: ctx.actor,
        action: 'audit.head-accept',
        outcome: 'ok',
        reason: before.problem.message,
        params: { storedSeq: stored },
      });
      return audit.verify();
    },
    'audit.sources': async () => audit.syncSources(),
    'audit.setSource': async ({ server, path }, ctx) => {
      const from = settings.get().audit.sources[server] ?? null;
      settings.update((draft) => {
        if (path === null) delete draft.audit.sources[server];
        else draft.audit.sources[server] = path;
      });
      await audit.journal.record({
        kind: 'control',
        actor: ctx.actor,
        action: 'settings.change',
        server,
        outcome: 'ok',
        params: { key: 'audit.sources' },
        from,
        to: path,
      });
      return audit.syncSources();
    },
    'audit.settings': async () => view(),
    'audit.updateSettings': async (change, ctx) => {
      const before = settings.get().audit;
      const from = { maxFileMB: before.maxFileMB, retentionDays: before.retentionDays };
      const to = { maxFileMB: change.maxFileMB ?? before.maxFileMB, retentionDays: change.retentionDays ?? before.retentionDays };
      // Saved first (validated whole), recorded durably, then applied.
      settings.update((draft) => Object.assign(draft.audit, to));
      await audit.journal.record({ kind: 'control', actor: ctx.actor, action: 'settings.change', outcome: 'ok', params: { key: 'audit' }, from, to });
      audit.journal.configure({ maxFileBytes: to.maxFileMB * 1024 * 1024, retentionDays: to.retentionDays });
      return view();
    },
    'audit.serverLog': async ({ server, limit }) => audit.serverLogs.recent(server, limit),
  };
}

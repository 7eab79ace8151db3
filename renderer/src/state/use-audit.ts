import { useCallback, useEffect, useRef, useState } from 'react';
import type { AuditFilter } from '../../../main/core/api';
import { useApi } from '../bridge/context';
import { errorMessage } from '../util/format';
import { byNewest, fromRecord, fromServerLine, rowMatches, type AuditRow, type AuditSource } from './audit-rows';

/** Rows one audit view keeps: older pages are dropped past this, never the newest. */
const MAX_ROWS = 5_000;
const PAGE = 200;

export interface AuditState {
  rows: AuditRow[];
  /** Live rows held back while the user reads further down, so nothing moves under them. */
  pending: number;
  showPending: () => void;
  /** Access records written meanwhile but not sent live (a busy gateway): a reload shows them. */
  missed: number;
  reload: () => void;
  loading: boolean;
  error: string | null;
  hasOlder: boolean;
  loadOlder: () => void;
}

/**
 * The audit table's rows: the journal (`audit.query`) and the servers' own audit lines
 * (`audit.serverLog`), merged newest first, then kept live by `audit.records` and
 * `audit.serverLines`. `atTop()` says whether the user is at the top: only then do new rows
 * go straight in.
 */
export function useAudit(filter: AuditFilter, source: AuditSource, atTop: () => boolean): AuditState {
  const api = useApi();
  const [rows, setRows] = useState<AuditRow[]>([]);
  const [pending, setPending] = useState<AuditRow[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [nextBefore, setNextBefore] = useState<number | null>(null);
  const [missed, setMissed] = useState(0);
  const [reloads, setReloads] = useState(0);
  const atTopRef = useRef(atTop);
  atTopRef.current = atTop;
  const key = JSON.stringify([filter, source]);

  useEffect(() => {
    let live = true;
    setLoading(true);
    setPending([]);
    setMissed(0);
    const journal = source === 'servers' ? Promise.resolve({ records: [], nextBefore: null }) : api.call('audit.query', { ...filter, limit: PAGE });
    const own =
      source === 'portcullis' || filter.kind || filter.client
        ? Promise.resolve([])
        : api.call('audit.serverLog', { server: filter.server, limit: 500 }).catch(() => []);
    Promise.all([journal, own])
      .then(([page, lines]) => {
        if (!live) return;
        const merged = [...page.records.map(fromRecord), ...lines.map(fromServerLine).filter((r) => rowMatches(r, filter, source))].sort(byNewest);
        setRows(merged);
        setNextBefore(page.nextBefore);
        setError(null);
      })
      .catch((err: unknown) => live && setError(errorMessage(err)))
      .finally(() => live && setLoading(false));

    const arrive = (incoming: AuditRow[]): void => {
      const fresh = incoming.filter((r) => rowMatches(r, filter, source)).sort(byNewest);
      if (fresh.length === 0) return;
      if (atTopRef.current()) setRows((list) => [...fresh, ...list].slice(0, MAX_ROWS));
      else setPending((list) => [...fresh, ...list].slice(0, MAX_ROWS));
    };
    const offRecords = api.on('audit.records', ({ records, omitted }) => {
      arrive(records.map(fromRecord));
      // Only access records are ever left out of the live stream.
      if (omitted && source !== 'servers' && (filter.kind === undefined || filter.kind === 'access')) setMissed((n) => n + omitted);
    });
    const offLines = api.on('audit.serverLines', ({ lines }) => arrive(lines.map(fromServerLine)));
    return () => {
      live = false;
      offRecords();
      offLines();
    };
    // `key` stands for filter and source, which are new objects on every render.
  }, [api, key, reloads]);

  const reload = useCallback(() => setReloads((n) => n + 1), []);

  const showPending = useCallback(() => {
    setRows((list) => [...pending, ...list].slice(0, MAX_ROWS));
    setPending([]);
  }, [pending]);

  const loadOlder = useCallback(() => {
    if (nextBefore === null) return;
    api
      .call('audit.query', { ...filter, limit: PAGE, before: nextBefore })
      .then((page) => {
        setRows((list) => [...list, ...page.records.map(fromRecord)].slice(0, MAX_ROWS));
        setNextBefore(page.nextBefore);
      })
      .catch((err: unknown) => setError(errorMessage(err)));
  }, [api, key, nextBefore]);

  return { rows, pending: pending.length, showPending, missed, reload, loading, error, hasOlder: nextBefore !== null, loadOlder };
}

import { useEffect, useState } from 'react';
import type { NetworkInterfaceView, TlsView } from '../../../../main/core/api';
import { useApi } from '../../bridge/context';
import { errorMessage } from '../../util/format';

export interface ExposeDialog {
  /** This machine's addresses, the server's LAN default marked; null until the engine answers. */
  interfaces: NetworkInterfaceView[] | null;
  /**
   * The gateway's certificate as the engine sees it now (it may have been set in Settings
   * since the panel opened). undefined: not known, so nothing is claimed either way.
   */
  tls: TlsView | null | undefined;
  error: string | null;
  setError: (error: string | null) => void;
  busy: boolean;
  /** Runs the expose request, busy meanwhile; a refusal is kept in `error` for the dialog to show. */
  run: (action: () => Promise<void>) => Promise<void>;
}

/** What both expose dialogs read each time they open, and how they send their choice. */
export function useExposeDialog(opened: boolean, server: string): ExposeDialog {
  const api = useApi();
  const [interfaces, setInterfaces] = useState<NetworkInterfaceView[] | null>(null);
  const [tls, setTls] = useState<TlsView | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!opened) return;
    let current = true;
    setError(null);
    setTls(undefined);
    api
      .call('exposure.interfaces', { name: server })
      .then((list) => current && setInterfaces(list))
      .catch((err: unknown) => current && setError(errorMessage(err)));
    api
      .call('exposure.settings', {})
      .then((s) => current && setTls(s.tls))
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [api, opened, server]);

  const run = async (action: () => Promise<void>): Promise<void> => {
    setBusy(true);
    try {
      await action();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return { interfaces, tls, error, setError, busy, run };
}

import { useCallback, useSyncExternalStore } from 'react';

export type DetailTab = 'logs' | 'exposure' | 'health' | 'process';

export type Route =
  | { view: 'overview' }
  | { view: 'server'; name: string; tab: DetailTab }
  | { view: 'tokens' }
  | { view: 'audit' }
  | { view: 'settings' };

const tabs: readonly DetailTab[] = ['logs', 'exposure', 'health', 'process'];

/** Routes live in the fragment (`#/servers/NAME/logs`) so Back, reload and links work in both faces. */
export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'servers' && parts[1]) {
    const tab = tabs.find((t) => t === parts[2]) ?? 'logs';
    return { view: 'server', name: parts[1], tab };
  }
  if (parts[0] === 'tokens') return { view: 'tokens' };
  if (parts[0] === 'audit') return { view: 'audit' };
  if (parts[0] === 'settings') return { view: 'settings' };
  return { view: 'overview' };
}

export function hrefOf(route: Route): string {
  switch (route.view) {
    case 'server':
      return `#/servers/${encodeURIComponent(route.name)}/${route.tab}`;
    case 'tokens':
      return '#/tokens';
    case 'audit':
      return '#/audit';
    case 'settings':
      return '#/settings';
    default:
      return '#/';
  }
}

const subscribe = (callback: () => void): (() => void) => {
  window.addEventListener('hashchange', callback);
  return () => window.removeEventListener('hashchange', callback);
};

export function useRoute(): [Route, (route: Route) => void] {
  const hash = useSyncExternalStore(subscribe, () => location.hash);
  const navigate = useCallback((route: Route) => {
    location.hash = hrefOf(route);
  }, []);
  return [parseRoute(hash), navigate];
}

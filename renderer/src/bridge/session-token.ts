const KEY = 'portcullis.session';

/**
 * The session token `portcullis serve` printed arrives once in the URL fragment. It is moved
 * into this tab's sessionStorage and dropped from the address bar at once, so it is not left
 * in history, bookmarks or screenshots (a secret never stays in a URL after first use).
 */
export function takeSessionToken(): string | null {
  const params = new URLSearchParams(location.hash.slice(1));
  const fromUrl = params.get('token');
  if (fromUrl) {
    try {
      sessionStorage.setItem(KEY, fromUrl);
    } catch {
      // Storage disabled: the token still works for this page load.
    }
    history.replaceState(null, '', `${location.pathname}${location.search}#/`);
    return fromUrl;
  }
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

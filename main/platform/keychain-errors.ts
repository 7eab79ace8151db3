import { KeychainUnavailableError } from '../core/ports.js';

/**
 * keytar reports libsecret, Keychain Services and Credential Manager failures as bare
 * messages; users need the cause and the fix, so the known ones are translated here.
 */
export function explainKeychainError(err: unknown, platform: NodeJS.Platform = process.platform): KeychainUnavailableError {
  const raw = err instanceof Error ? err.message : String(err);
  const text = raw.toLowerCase();
  const cause = ((): string => {
    if (text.includes('cannot find module') || text.includes('keytar.node') || text.includes('was compiled against')) {
      return 'the keychain library (keytar) is missing or was built for another Node or Electron version — reinstall Portcullis (npm rebuild keytar)';
    }
    if (platform === 'linux') {
      if (text.includes('autolaunch d-bus') || text.includes('could not connect') || text.includes('dbus_session_bus_address') || text.includes('failed to connect')) {
        return 'no D-Bus session bus, so no Secret Service — run Portcullis inside a desktop session, or start one (dbus-launch) with gnome-keyring or KWallet installed and unlocked';
      }
      if (text.includes('org.freedesktop.secrets') || text.includes('not provided by any .service')) {
        return 'no Secret Service on the session bus — install and unlock gnome-keyring or KWallet';
      }
      if (text.includes('/collection/') && text.includes('does not exist')) {
        // gnome-keyring started by the bus on demand, with no login keyring created or unlocked.
        return 'the Secret Service has no unlocked login keyring — log in to the desktop session, or create and unlock one (`gnome-keyring-daemon --unlock`)';
      }
      if (text.includes('locked') || text.includes('prompt') || text.includes('dismissed')) {
        return 'the keyring is locked — unlock it (log in to the desktop session, or run `gnome-keyring-daemon --unlock`) and try again';
      }
    }
    if (platform === 'darwin') {
      if (text.includes('user interaction is not allowed') || text.includes('passphrase') || text.includes('locked')) {
        return 'the login keychain is locked — unlock it in Keychain Access (or log in to the desktop session) and try again';
      }
      if (text.includes('denied') || text.includes('not permitted') || text.includes('authorization')) {
        return 'access to the login keychain was denied — allow Portcullis when macOS asks, or in Keychain Access';
      }
    }
    if (platform === 'win32' && (text.includes('denied') || text.includes('credential'))) {
      return 'Windows Credential Manager refused access — sign in to a normal (not a service) session and try again';
    }
    if (text.includes('denied')) return 'access to the OS keychain was denied — allow Portcullis to use it and try again';
    return `the OS keychain failed (${raw.slice(0, 200)}) — check that it is installed and unlocked, then try again`;
  })();
  return new KeychainUnavailableError(`keychain unavailable: ${cause}. Tokens are kept nowhere else, so this is refused.`);
}

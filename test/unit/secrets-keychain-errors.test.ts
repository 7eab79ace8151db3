import { describe, expect, it } from 'vitest';
import { KeychainUnavailableError } from '../../main/core/ports.js';
import { explainKeychainError } from '../../main/platform/keychain-errors.js';

// The messages keytar really gives (DESIGN.md, "Testing on these machines", and libsecret).
describe('keychain failures name the cause and the fix', () => {
  it('no D-Bus session', () => {
    const err = explainKeychainError(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY'), 'linux');
    expect(err).toBeInstanceOf(KeychainUnavailableError);
    expect(err.code).toBe('unavailable');
    expect(err.message).toMatch(/no D-Bus session bus.*gnome-keyring or KWallet/);
  });

  it('a bus without a Secret Service', () => {
    const err = explainKeychainError(new Error('The name org.freedesktop.secrets was not provided by any .service files'), 'linux');
    expect(err.message).toContain('no Secret Service on the session bus — install and unlock gnome-keyring or KWallet');
  });

  it('a locked keyring', () => {
    const err = explainKeychainError(new Error('Cannot create an item in a locked collection'), 'linux');
    expect(err.message).toMatch(/keyring is locked — unlock it/);
  });

  it('a Secret Service started on demand with no login keyring', () => {
    const err = explainKeychainError(new Error('Object does not exist at path “/org/freedesktop/secrets/collection/login”'), 'linux');
    expect(err.message).toMatch(/no unlocked login keyring — log in to the desktop session/);
  });

  it('macOS without user interaction', () => {
    const err = explainKeychainError(new Error('User interaction is not allowed.'), 'darwin');
    expect(err.message).toMatch(/login keychain is locked/);
  });

  it('an unknown failure keeps its text and says what to check', () => {
    const err = explainKeychainError(new Error('something odd'), 'linux');
    expect(err.message).toMatch(/something odd.*installed and unlocked/);
  });
});

#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with a private, unlocked gnome-keyring, so
# tests use a real Secret Service without ever touching the user's login keyring.
# Without dbus-launch or gnome-keyring-daemon the command runs as it is (keychain tests then
# report the keychain as unavailable, which is itself tested).
set -euo pipefail
if ! command -v dbus-launch >/dev/null || ! command -v gnome-keyring-daemon >/dev/null; then
  echo "with-keyring: dbus-launch or gnome-keyring-daemon missing; running without a keyring" >&2
  exec "$@"
fi
XDG_RUNTIME_DIR=$(mktemp -d) XDG_DATA_HOME=$(mktemp -d)
export XDG_RUNTIME_DIR XDG_DATA_HOME
chmod 700 "$XDG_RUNTIME_DIR"
eval "$(dbus-launch --sh-syntax)"
cleanup() {
  kill "${GNOME_KEYRING_PID:-}" "${DBUS_SESSION_BUS_PID:-}" 2>/dev/null || true
  rm -rf "$XDG_RUNTIME_DIR" "$XDG_DATA_HOME"
}
trap cleanup EXIT
eval "$(printf pass | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL PORTCULLIS_TEST_KEYRING=1
"$@"

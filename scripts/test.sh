#!/usr/bin/env bash
# `npm test`: builds, then runs every suite (unit, integration with real processes and
# sockets, the shell with a mocked Electron, the UI in Chromium) in one Vitest run inside a
# private keyring session, and ends with `tests: N passed, N failed`.
set -uo pipefail
cd "$(dirname "$0")/.."
npm run --silent build || { echo "tests: 0 passed, 1 failed"; exit 1; }
mkdir -p test-results
bash scripts/with-keyring.sh npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json "$@"
status=$?
node scripts/count-tests.mjs test-results/vitest.json || status=1
exit $status

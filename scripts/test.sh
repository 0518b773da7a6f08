#!/usr/bin/env bash
# The whole test suite: installs what the tests need, builds, lints (incl. the layer rules) and
# runs every test. Called by `npm test`, which is the README's test command and what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."

# Real clients the acceptance tests drive: Python hvac (Debian package; imports under /usr/bin/python3).
if ! /usr/bin/python3 -c 'import hvac' >/dev/null 2>&1; then
  echo "==> installing python3-hvac (apt)"
  export DEBIAN_FRONTEND=noninteractive
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -q >/dev/null
  $SUDO apt-get install -y -q python3-hvac >/dev/null
fi

echo "==> build"
npx tsc -p tsconfig.json
echo "==> lint"
npx eslint --max-warnings=0 src bench
echo "==> tests"
node --test --test-concurrency=2 dist/

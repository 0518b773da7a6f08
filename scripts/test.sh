#!/usr/bin/env bash
# The whole test suite: installs what the tests need, builds, lints (incl. the layer rules) and
# runs every test. Called by `npm test`, which is the README's test command and what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."

# What the tests need from Debian: Python hvac (real-client acceptance tests, under /usr/bin/python3),
# Python prometheus_client (its text-format parser checks sys/metrics), ansible (its bundled
# community.hashi_vault modules are one of the conformance suite's clients),
# MariaDB and PostgreSQL 15 server binaries (the database engine's tests start throwaway servers on
# loopback themselves; nothing is left running).
need=()
/usr/bin/python3 -c 'import hvac' >/dev/null 2>&1 || need+=(python3-hvac)
/usr/bin/python3 -c 'import prometheus_client.parser' >/dev/null 2>&1 || need+=(python3-prometheus-client)
[ -x /usr/sbin/mariadbd ] || need+=(mariadb-server)
[ -x /usr/lib/postgresql/15/bin/initdb ] || need+=(postgresql-15)
command -v ansible-playbook >/dev/null 2>&1 || need+=(ansible)
if [ "${#need[@]}" -gt 0 ]; then
  echo "==> installing ${need[*]} (apt)"
  export DEBIAN_FRONTEND=noninteractive
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -q >/dev/null
  # Packages must not start their own services: policy-rc.d exit 101 tells invoke-rc.d not to.
  added_policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
    $SUDO chmod +x /usr/sbin/policy-rc.d
    added_policy=1
  fi
  status=0
  $SUDO apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null || status=$?
  [ -n "$added_policy" ] && $SUDO rm -f /usr/sbin/policy-rc.d
  [ "$status" -eq 0 ] || { echo "apt-get install failed ($status)" >&2; exit "$status"; }
fi

echo "==> build"
npx tsc -p tsconfig.json
echo "==> lint"
npx eslint --max-warnings=0 src bench conformance
echo "==> tests"
node --test --test-concurrency=2 dist/

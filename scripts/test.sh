#!/usr/bin/env bash
# Set IMI up (scripts/setup.sh) and run all tests. Extra arguments go to pytest.
# The PostgreSQL variants of the tests run when IMI_TEST_DATABASE_URL is set.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
. scripts/env.sh

# Browser tests use Debian's Chromium (Playwright cannot download its own browsers here).
if [ ! -x /usr/bin/chromium ]; then
  echo "[test] installing Debian chromium"
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq || true
  $SUDO apt-get install -y -qq chromium chromium-driver
fi

# The layout's import contracts (.importlinter) first: a broken spine fails the run at once.
echo "[test] checking the import contracts (lint-imports)"
.venv/bin/lint-imports --no-cache

status=0
.venv/bin/pytest "$@" || status=$?
exit "$status"

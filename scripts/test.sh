#!/usr/bin/env bash
# Set IMI up (scripts/setup.sh) and run all tests. Extra arguments go to pytest.
# The PostgreSQL variants of the tests run when IMI_TEST_DATABASE_URL is set.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
. scripts/env.sh

# Browser tests use Debian's Chromium (Playwright cannot download its own browsers here), and the
# larger installation's test runs Debian's nginx in front of the workers.
missing=""
[ -x /usr/bin/chromium ] || missing="$missing chromium chromium-driver"
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing="$missing nginx"
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf ] || missing="$missing fonts-dejavu-core"
if [ -n "$missing" ]; then
  echo "[test] installing from Debian:$missing"
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq || true
  # shellcheck disable=SC2086
  $SUDO apt-get install -y -qq $missing
fi

# The accessibility tests inject axe-core (WCAG 2.1 AA rules) into each screen; it comes from npm.
if [ ! -f tools/axe/node_modules/axe-core/axe.min.js ]; then
  echo "[test] installing axe-core 4.14.1 into tools/axe/"
  mkdir -p tools/axe
  npm install --no-save --no-audit --no-fund --loglevel=error --prefix tools/axe axe-core@4.14.1
fi

# The layout's import contracts (.importlinter) first: a broken spine fails the run at once.
echo "[test] checking the import contracts (lint-imports)"
.venv/bin/lint-imports --no-cache

status=0
.venv/bin/pytest "$@" || status=$?
exit "$status"

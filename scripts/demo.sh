#!/usr/bin/env bash
# Set IMI up (scripts/setup.sh) and run it with the demo data at http://localhost:3000.
# Production build, frontend and backend on one port. Stop with Ctrl+C.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
. scripts/env.sh

# Without Redis, keep Reflex's per-tab state in memory (the disk manager is much slower;
# the database holds everything that must survive a restart).
if [ -z "${REFLEX_REDIS_URL:-}" ]; then
  export REFLEX_STATE_MANAGER_MODE="${REFLEX_STATE_MANAGER_MODE:-memory}"
fi

echo "[demo] starting IMI at http://localhost:${REFLEX_FRONTEND_PORT:-3000} (Ctrl+C stops it)"
exec .venv/bin/reflex run --env prod --single-port

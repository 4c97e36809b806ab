# Shared environment for every script that calls reflex. Source it: `. scripts/env.sh`.
# It sets IMI_ROOT (the project root) and keeps Reflex offline-friendly:
# bun comes from npm into tools/, no version checks, no telemetry, and the
# npm registry is the one npm itself is configured with (read at run time).

IMI_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export IMI_ROOT

case ":$PATH:" in
  *":$IMI_ROOT/tools/node_modules/.bin:"*) ;;
  *) export PATH="$IMI_ROOT/tools/node_modules/.bin:$PATH" ;;
esac

export REFLEX_USE_SYSTEM_BUN=1
export REFLEX_CHECK_LATEST_VERSION=false
export REFLEX_TELEMETRY_ENABLED=false

if [ -z "${NPM_CONFIG_REGISTRY:-}" ] && command -v npm >/dev/null 2>&1; then
  NPM_CONFIG_REGISTRY="$(npm config get registry 2>/dev/null || true)"
  export NPM_CONFIG_REGISTRY
fi

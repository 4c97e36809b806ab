#!/usr/bin/env bash
# Prepare IMI on this machine: Python 3.11 virtualenv, pinned packages, bun (from npm),
# a .env with fresh random secrets, the database schema, the reference data (countries,
# legislative areas, question sets) and, unless IMI_ENVIRONMENT is production, the demo data.
# Safe to run again: it keeps .env, data/ and the database, and skips what is already done.
# A new .env gets IMI_ENVIRONMENT from the caller (`IMI_ENVIRONMENT=production bash scripts/setup.sh`),
# demo when it is not set. `bash scripts/setup.sh --no-database` stops before the database, for an
# installation that is to be restored from a backup (scripts/restore.sh needs an empty database).
set -euo pipefail

no_database=false
case "${1:-}" in
  "") ;;
  --no-database) no_database=true ;;
  *) echo "usage: bash scripts/setup.sh [--no-database]" >&2; exit 2 ;;
esac

cd "$(dirname "${BASH_SOURCE[0]}")/.."
. scripts/env.sh

say() { printf '[setup] %s\n' "$*"; }

# --- Python 3.11 ------------------------------------------------------------------------------
if command -v python3.11 >/dev/null 2>&1; then
  PY=python3.11
elif command -v python3 >/dev/null 2>&1; then
  PY=python3
else
  echo "[setup] Python 3.11 is required (python3.11 or python3 not found)." >&2
  exit 1
fi
if ! "$PY" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)'; then
  echo "[setup] Python 3.11 is required; $PY is $("$PY" -V 2>&1)." >&2
  exit 1
fi

# --- virtualenv and packages ------------------------------------------------------------------
if ! .venv/bin/python -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)' 2>/dev/null; then
  say "creating .venv with $("$PY" -V 2>&1)"
  "$PY" -m venv --clear .venv
fi

req_hash="$(sha256sum requirements.txt | cut -d' ' -f1)"
if [ "$(cat .venv/.requirements.sha256 2>/dev/null || true)" != "$req_hash" ]; then
  say "installing Python packages (requirements.txt)"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
  echo "$req_hash" > .venv/.requirements.sha256
else
  say "Python packages up to date"
fi

# --- bun (from npm; Reflex's own download needs the open internet) -----------------------------
if ! tools/node_modules/.bin/bun --version >/dev/null 2>&1; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "[setup] npm (Node.js) is required to install bun." >&2
    exit 1
  fi
  say "installing bun 1.4.4 into tools/"
  mkdir -p tools
  npm install --no-save --no-audit --no-fund --loglevel=error --prefix tools bun@1.4.4
fi
tools/node_modules/.bin/bun --version >/dev/null

# --- fonts for the PDF exports (DejaVu: every letter of the four languages) ----------------------
if [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf ] && command -v apt-get >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else SUDO=none; fi
  if [ "$SUDO" != none ]; then
    say "installing the DejaVu fonts from Debian (fonts-dejavu-core)"
    export DEBIAN_FRONTEND=noninteractive
    { $SUDO apt-get install -y -qq fonts-dejavu-core \
        || { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq fonts-dejavu-core; }; } >/dev/null 2>&1 \
      || say "could not install fonts-dejavu-core: the PDF export says so, the JSON export works"
  fi
fi

# --- .env with random secrets (only when missing; never overwritten) ----------------------------
if [ ! -e .env ]; then
  say "writing .env with fresh random secrets"
  umask_old="$(umask)"
  umask 077
  # Written aside and moved in place, so a refused IMI_ENVIRONMENT leaves no empty .env behind.
  .venv/bin/python - <<'PY' > .env.new || { rm -f .env.new; exit 1; }
import os
import secrets
from urllib.parse import urlsplit
environment = os.environ.get("IMI_ENVIRONMENT") or "demo"
if environment not in ("demo", "dev", "test", "production"):
    raise SystemExit(f"[setup] IMI_ENVIRONMENT must be demo, dev, test or production, not {environment!r}.")
public_url = os.environ.get("IMI_PUBLIC_URL", "")
if environment == "production" and urlsplit(public_url).scheme != "https":
    raise SystemExit("[setup] A production installation needs the https address its users will open: "
                     "set IMI_PUBLIC_URL to it beside IMI_ENVIRONMENT=production (see the README).")
print("# Written by scripts/setup.sh. Keep it secret; it is never overwritten.")
print(f"IMI_ENVIRONMENT={environment}")
if public_url:
    print(f"IMI_PUBLIC_URL={public_url}")
for name in ("PASSWORD_PEPPER", "CODE_PEPPER", "TOTP_KEY", "SESSION_KEY"):
    print(f"IMI_{name}={secrets.token_urlsafe(48)}")
PY
  mv .env.new .env
  umask "$umask_old"
fi
chmod 600 .env

mkdir -p data

if [ "$no_database" = true ]; then
  say "done, without touching the database (--no-database): restore a backup with scripts/restore.sh"
  exit 0
fi

# --- database schema, reference data and (outside production) demo data --------------------------
say "migrating the database"
.venv/bin/python -m imi_app.manage migrate
say "loading the reference data (countries, legislative areas, question sets)"
.venv/bin/python -m imi_app.reference
environment="$(.venv/bin/python -c 'from imi_app.core.settings import get_settings; print(get_settings().environment)')"
if [ "$environment" = production ]; then
  say "IMI_ENVIRONMENT=production: no demo data. Create the first coordinator's account with"
  say "  .venv/bin/python -m imi_app.authorities.bootstrap --country XX --authority NAME --name NAME --email ADDRESS"
else
  say "seeding demo data (IMI_ENVIRONMENT=$environment)"
  .venv/bin/python -m imi_app.demo.seed
fi
say "done"

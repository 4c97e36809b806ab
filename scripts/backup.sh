#!/usr/bin/env bash
# Back up IMI while it runs: a consistent copy of the database (SQLite's online backup, or pg_dump -Fc),
# the attachments and a MANIFEST with every file's SHA-256, in a new private folder under the given
# folder (default: backups/ in the project folder). The .env secrets are never copied: keep them apart.
# Usage: bash scripts/backup.sh [target folder]
set -euo pipefail

target="${1:-}"
if [ -n "$target" ] && [ "${target#/}" = "$target" ]; then
  target="$PWD/$target"  # relative to where it was called from, not to the project folder
fi

cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec .venv/bin/python -m imi_app.manage backup ${target:+"$target"}

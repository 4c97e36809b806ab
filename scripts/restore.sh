#!/usr/bin/env bash
# Restore an IMI backup into the empty database and data folder of the settings (.env, IMI_*): checks the
# MANIFEST first, refuses a non-empty target without changing it, checks the copy and migrates it if older.
# Usage: bash scripts/restore.sh <backup folder>
set -euo pipefail

if [ "$#" -ne 1 ]; then
  echo "usage: bash scripts/restore.sh <backup folder>" >&2
  exit 2
fi
backup="$1"
if [ "${backup#/}" = "$backup" ]; then
  backup="$PWD/$backup"  # relative to where it was called from, not to the project folder
fi

cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec .venv/bin/python -m imi_app.manage restore "$backup"

#!/usr/bin/env bash
# Re-extracts every translatable string and merges it into each language's .po file.
# Add a language: bash scripts/i18n.sh xx   (creates imi_app/translations/xx/LC_MESSAGES/messages.po)
set -euo pipefail
cd "$(dirname "$0")/.."
PYBABEL=.venv/bin/pybabel
POT=imi_app/translations/messages.pot
KEYWORDS=$(.venv/bin/python -c 'from imi_app.core.i18n import EXTRACT_KEYWORDS as k; print(" ".join("-k " + w for w in k))')
# shellcheck disable=SC2086
$PYBABEL extract -F babel.cfg $KEYWORDS --no-wrap --sort-by-file \
  --project IMI --copyright-holder "IMI contributors" -o "$POT" .
for lang in "$@"; do
  [ -f "imi_app/translations/$lang/LC_MESSAGES/messages.po" ] || \
    $PYBABEL init -i "$POT" -d imi_app/translations -l "$lang" --no-wrap
done
$PYBABEL update -i "$POT" -d imi_app/translations --no-wrap --ignore-obsolete

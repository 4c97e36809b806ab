#!/usr/bin/env bash
# Re-extracts every translatable string and merges it into each language's .po file
# (imi_app/translations/<lang>/LC_MESSAGES/messages.po: en, hu, de, fr and any other there).
# New strings arrive untranslated, or fuzzy when Babel guesses from a similar one: translate them, drop the
# "#, fuzzy" line, then run .venv/bin/pytest tests/core/test_translations.py.
# Add a language: bash scripts/i18n.sh xx   (creates imi_app/translations/xx/LC_MESSAGES/messages.po;
# the other steps are in docs/TRANSLATING.md)
set -euo pipefail
cd "$(dirname "$0")/.."
PYBABEL=.venv/bin/pybabel
POT=imi_app/translations/messages.pot
LANGUAGES=(en hu de fr)  # English is the source language: its catalog stays empty
KEYWORDS=$(.venv/bin/python -c 'from imi_app.core.i18n import EXTRACT_KEYWORDS as k; print(" ".join("-k " + w for w in k))')
# shellcheck disable=SC2086
$PYBABEL extract -F babel.cfg $KEYWORDS --no-wrap --sort-by-file \
  --project IMI --copyright-holder "IMI contributors" -o "$POT" .
for lang in "${LANGUAGES[@]}" "$@"; do
  [ -f "imi_app/translations/$lang/LC_MESSAGES/messages.po" ] || \
    $PYBABEL init -i "$POT" -d imi_app/translations -l "$lang" --no-wrap
done
# Every catalog in imi_app/translations, the four above and any added since.
$PYBABEL update -i "$POT" -d imi_app/translations --no-wrap --ignore-obsolete
# What is left to translate, per language.
.venv/bin/python - <<'EOF'
from pathlib import Path
from babel.messages.pofile import read_po
for po in sorted(Path("imi_app/translations").glob("*/LC_MESSAGES/messages.po")):
    language = po.parent.parent.name
    with po.open("rb") as handle:
        messages = [m for m in read_po(handle, locale=language) if m.id]
    if language == "en":
        print(f"en: {len(messages)} messages (the source language)")
        continue
    untranslated = sum(not m.string for m in messages)
    fuzzy = sum(bool(m.string) and m.fuzzy for m in messages)
    print(f"{language}: {len(messages)} messages, {untranslated} untranslated, {fuzzy} fuzzy")
EOF

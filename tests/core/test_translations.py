"""Every translatable string is translated into every language with a catalog (German, French and Hungarian
today): present, not fuzzy, with the same {placeholders} and the same line breaks as the English text."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from imi_app.core.i18n import CATALOG_DIR, EXTRACT_KEYWORDS, available_languages, gettext, language_name

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
# Every language with a catalog but the source language, English (whose catalog stays empty): a new .po file
# is checked at once. test_the_four_languages_are_available keeps German, French and Hungarian among them.
TRANSLATED = tuple(code for code in available_languages() if code != "en")


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """Extracts the strings from the code as it is now, not from a possibly stale .pot file."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    pybabel = Path(sys.executable).with_name("pybabel")
    keywords = [arg for word in EXTRACT_KEYWORDS for arg in ("-k", word)]
    subprocess.run([str(pybabel), "extract", "-F", "babel.cfg", *keywords, "-o", str(pot), "."],
                   cwd=ROOT, check=True, capture_output=True)
    with pot.open("rb") as handle:
        return [m.id for m in read_po(handle) if m.id and isinstance(m.id, str)]


def _catalog(language: str) -> Catalog:
    with (CATALOG_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=language)


def test_the_four_languages_are_available():
    assert {"en", "hu", "de", "fr"} <= set(available_languages())
    assert {"de", "fr", "hu"} <= set(TRANSLATED)
    assert [language_name(code) for code in ("de", "fr", "hu")] == ["Deutsch", "Français", "Magyar"]


def test_extraction_finds_the_ui_strings(template):
    assert len(template) > 40
    assert "Sign in" in template
    assert gettext("de", "Sign in") == "Anmelden" and gettext("fr", "Sign in") == "Se connecter"


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_string_is_translated(template, language):
    catalog = _catalog(language)
    missing = [m for m in template if (entry := catalog.get(m)) is None or not entry.string]
    assert missing == [], f"{len(missing)} strings lack a {language} translation, e.g. {missing[:5]}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_no_translation_is_fuzzy(template, language):
    catalog = _catalog(language)
    fuzzy = [m for m in template if (entry := catalog.get(m)) is not None and entry.fuzzy]
    assert fuzzy == [], f"{len(fuzzy)} {language} translations are marked fuzzy (unused), e.g. {fuzzy[:5]}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_placeholders_and_lines_survive_translation(template, language):
    catalog = _catalog(language)
    for message in template:
        if (entry := catalog.get(message)) is None or not entry.string:
            continue  # reported by test_every_string_is_translated
        translated = str(entry.string)
        assert sorted(PLACEHOLDER.findall(translated)) == sorted(PLACEHOLDER.findall(message)), (language, message)
        assert translated.count("\n") == message.count("\n"), (language, message)
        assert translated == translated.strip(), (language, message)
        assert gettext(language, message) == translated

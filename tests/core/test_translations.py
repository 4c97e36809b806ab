"""Every translatable string has a Hungarian translation with the same placeholders."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from imi_app.core.i18n import EXTRACT_KEYWORDS, available_languages, gettext

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


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


def test_english_and_hungarian_are_available():
    assert {"en", "hu"} <= set(available_languages())


def test_extraction_finds_the_ui_strings(template):
    assert len(template) > 40
    assert "Sign in" in template


@pytest.mark.parametrize("language", ["hu"])
def test_every_string_is_translated(template, language):
    missing = [m for m in template if gettext(language, m) == m and not _same_in_both(m)]
    assert missing == [], f"{len(missing)} strings lack a {language} translation, e.g. {missing[:5]}"


@pytest.mark.parametrize("language", ["hu"])
def test_placeholders_survive_translation(template, language):
    for message in template:
        assert sorted(PLACEHOLDER.findall(gettext(language, message))) == sorted(PLACEHOLDER.findall(message)), message


def _same_in_both(message: str) -> bool:
    # Names and codes that read the same in Hungarian.
    return message in {"IMI", "E-mail", "TOTP"}

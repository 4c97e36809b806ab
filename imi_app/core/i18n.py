"""Translations: gettext catalogs (.po files) read at start; adding a language is one new .po file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.messages.pofile import read_po

CATALOG_DIR = Path(__file__).resolve().parents[1] / "translations"
DEFAULT_LANGUAGE = "en"
# Functions whose first argument is a msgid, for Babel's extractor (scripts/i18n.sh).
EXTRACT_KEYWORDS = ("T", "N_", "_tr", "gettext:2", "text_field", "submit_button", "nav_link", "_input")


@lru_cache
def _catalog(language: str) -> dict[str, str]:
    path = CATALOG_DIR / language / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        return {}
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    return {
        str(message.id): str(message.string)
        for message in catalog
        if message.id and message.string and not message.fuzzy and isinstance(message.id, str)
    }


@lru_cache
def available_languages() -> tuple[str, ...]:
    found = sorted(p.parent.parent.name for p in CATALOG_DIR.glob("*/LC_MESSAGES/messages.po"))
    return tuple(found) or (DEFAULT_LANGUAGE,)


def normalize_language(language: str | None) -> str:
    return language if language in available_languages() else DEFAULT_LANGUAGE


def preferred_language(accept_language: str | None) -> str | None:
    """The first language of a browser's Accept-Language header ("hu-HU,hu;q=0.9,en;q=0.8"), by weight,
    that IMI speaks; None when it speaks none of them."""
    weighted: list[tuple[float, int, str]] = []
    for index, item in enumerate((accept_language or "").split(",")):
        tag, _, params = item.strip().partition(";")
        weight = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        primary = tag.strip().split("-")[0].lower()
        if primary and primary != "*" and weight > 0:
            weighted.append((-weight, index, primary))
    for _weight, _index, primary in sorted(weighted):
        if primary in available_languages():
            return primary
    return None


# The languages that write a person's family name before the given name: forms ask for it first in them.
FAMILY_NAME_FIRST_LANGUAGES = ("hu",)


def gettext(language: str | None, message: str, **params: object) -> str:
    """The message in `language` (falling back to English), with {name} placeholders filled."""
    text = _catalog(normalize_language(language)).get(message) or message
    return text.format(**params) if params else text


def N_(message: str) -> str:
    """Marks a message for extraction where it is translated later (messages kept as data)."""
    return message


def language_name(language: str) -> str:
    """A language's name written in that language ("magyar", "English")."""
    name = Locale.parse(language).get_display_name(language) or language
    return name[:1].upper() + name[1:]


def country_name(code: str, language: str | None) -> str:
    locale = Locale.parse(normalize_language(language))
    return locale.territories.get(code.upper(), code)


def localized(names: dict[str, str] | None, language: str, fallback: str = "") -> str:
    """A name or text stored per language ({"en": …, "hu": …}): the reader's, else English, else `fallback`."""
    names = names or {}
    return names.get(language) or names.get("en") or fallback

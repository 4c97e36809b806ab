"""`T()`: a UI string in the user's language; English is the msgid and the fallback. `in_reader_language()`:
a text whose values the server fills in, in every language, picked in the browser.

Both put every language's text into the compiled page and let the browser pick by the tab's language: the
translations travel once, as static files the browser caches, and no tab's state carries a catalog (which
every event of every tab would load and store again, ~120 KB each in Redis)."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from imi_app.core.i18n import available_languages, gettext
from imi_app.ui.base import AppState


def T(message: str) -> rx.Var:  # noqa: N802 - the usual name for a translation marker
    if not isinstance(message, str):
        raise TypeError(f"T() takes the English text itself, not {type(message).__name__}")
    texts = {code: gettext(code, message) for code in available_languages()}
    return (rx.Var.create(texts)[AppState.lang] | message).to(str)


def in_reader_language(text: Callable[[str], str]) -> rx.Var:
    """`text(language)` for every language, picked in the browser by the page's language: no state of its own,
    which every event of every tab would otherwise load to recompute."""
    return rx.Var.create({code: text(code) for code in available_languages()})[AppState.lang].to(str)

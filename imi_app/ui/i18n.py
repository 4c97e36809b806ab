"""`T()`: a UI string in the user's language; English is the msgid and the fallback. `in_reader_language()`:
a text whose values the server fills in, in every language, picked in the browser."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from imi_app.core.i18n import available_languages
from imi_app.ui.base import AppState


def T(message: str) -> rx.Var:  # noqa: N802 - the usual name for a translation marker
    return (AppState.texts[message] | message).to(str)


def in_reader_language(text: Callable[[str], str]) -> rx.Var:
    """`text(language)` for every language, picked in the browser by the page's language: no state of its own,
    which every event of every tab would otherwise load to recompute."""
    return rx.Var.create({code: text(code) for code in available_languages()})[AppState.lang].to(str)

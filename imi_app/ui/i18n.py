"""`T()`: a UI string in the user's language; English is the msgid and the fallback."""

from __future__ import annotations

import reflex as rx

from imi_app.ui.base import AppState


def T(message: str) -> rx.Var:  # noqa: N802 - the usual name for a translation marker
    return (AppState.texts[message] | message).to(str)

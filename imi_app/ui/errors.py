"""What the user sees when an event handler fails unexpectedly: a translated toast with an error id."""

from __future__ import annotations

import reflex as rx
from reflex.event import EventSpec

from imi_app.core import incidents
from imi_app.ui.base import AppState


class ErrorNotice(AppState):
    @rx.event
    def show(self, error_id: str):
        return rx.toast.error(self._tr(incidents.ERROR_MESSAGE, error_id=error_id), id="backend_error",
                              duration=20000)


def handle_backend_exception(exception: Exception) -> EventSpec:
    """rx.App's backend exception handler: Reflex's own one logs the traceback with the exception's
    message (SQL parameters, a failing row) and shows that message to the user."""
    return ErrorNotice.show(incidents.report(exception, "event handler"))

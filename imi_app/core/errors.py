"""Errors services raise; each carries translatable messages (gettext msgids), never secrets."""

from __future__ import annotations

from imi_app.core.i18n import N_


class ServiceError(Exception):
    """Base class: `message` is a gettext msgid, `params` fill its {placeholders}."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.params = params


class ValidationFailed(ServiceError):
    """Bad input; `errors` maps a form field to its message. Nothing was changed."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(N_("Please correct the marked fields."))
        self.errors = errors


def refuse_invalid(problems: dict[str, str | None]) -> None:
    """Raises ValidationFailed with the fields that have a problem (a message, not None or "")."""
    errors = {field: message for field, message in problems.items() if message}
    if errors:
        raise ValidationFailed(errors)


class Denied(ServiceError):
    """The actor may not do this (or the object does not exist for them)."""

    def __init__(self) -> None:
        super().__init__(N_("Not found, or you do not have access to it."))


class Conflict(ServiceError):
    """A rule of the product forbids the change (e.g. the last local data administrator)."""

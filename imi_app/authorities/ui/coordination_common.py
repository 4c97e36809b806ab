"""What the coordination forms share: names in further languages, area rows, reading the submitted form."""

from __future__ import annotations

from typing import Any

import reflex as rx

from imi_app.core.i18n import N_, language_name
from imi_app.authorities.models import LegislativeArea
from imi_app.authorities.own_authority import AUTHORITY_LANGUAGES
from imi_app.authorities.coordination import AuthorityInput
from imi_app.ui.common import checked, form_value, id_from_text

MAX_NAME_ROWS = 8
STATUS_LABELS = {"active": N_("Active"), "pending": N_("Awaiting validation"), "rejected": N_("Rejected")}


def language_options() -> list[list[str]]:
    return [[code, language_name(code)] for code in AUTHORITY_LANGUAGES]


def area_rows(areas: list[LegislativeArea], language: str) -> list[dict[str, Any]]:
    return [{"id": str(a.id), "code": a.code, "name": a.name_in(language)} for a in areas]


def areas_from_form(form: object) -> dict[object, object]:
    """Ticked "area:<id>" boxes with their "keywords:<id>" texts; the service checks both."""
    areas: dict[object, object] = {}
    if not isinstance(form, dict):
        return areas
    for key, value in form.items():
        parts = key.split(":") if isinstance(key, str) else []
        if len(parts) == 2 and parts[0] == "area" and value in ("on", True):
            areas[id_from_text(parts[1])] = form.get(f"keywords:{parts[1]}", "")
    return areas


def languages_from_form(form: object) -> list[str]:
    return [code for code in AUTHORITY_LANGUAGES if form_value(form, f"lang:{code}") in ("on", True)]


def authority_input(form: object, names: list[tuple[str, str]]) -> AuthorityInput:
    """The form as sent; wrong types go through for the service to refuse beside the field."""
    parent = form_value(form, "parent_id")
    return AuthorityInput(
        official_name=form_value(form, "official_name"), contact_email=form_value(form, "contact_email"),  # type: ignore[arg-type]
        address=form_value(form, "address"), phone=form_value(form, "phone"),  # type: ignore[arg-type]
        languages=languages_from_form(form), areas=areas_from_form(form), other_names=names,  # type: ignore[arg-type]
        user_family_name=form_value(form, "user_family_name"),  # type: ignore[arg-type]
        user_given_name=form_value(form, "user_given_name"),  # type: ignore[arg-type]
        user_email=form_value(form, "user_email"),  # type: ignore[arg-type]
        user_language=form_value(form, "user_language"),  # type: ignore[arg-type]
        parent_id=id_from_text(parent) if parent != "" else None,  # type: ignore[arg-type]
        is_coordinator=checked(form, "is_coordinator"),  # type: ignore[arg-type]
    )


class NameRowsMixin(rx.State, mixin=True):
    """The official name in further languages: rows of (language, name) the user adds and removes."""

    name_rows: list[dict[str, str]] = []
    _next_row: int = 0

    def _set_name_rows(self, names: dict[str, str]) -> None:
        self.name_rows = []
        for language, name in names.items():
            self._append_row(language, name)

    def _append_row(self, language: str = "", name: str = "") -> None:
        self._next_row += 1
        self.name_rows = [*self.name_rows, {"key": str(self._next_row), "language": language, "name": name}]

    def names_given(self) -> list[tuple[str, str]]:
        return [(row["language"], row["name"]) for row in self.name_rows if row["language"] or row["name"].strip()]

    @rx.event
    def add_name_row(self):
        if len(self.name_rows) < MAX_NAME_ROWS:
            self._append_row()

    @rx.event
    def remove_name_row(self, key: str):
        self.name_rows = [row for row in self.name_rows if row["key"] != key]

    @rx.event
    def set_name_language(self, key: str, language: str):
        if isinstance(language, str) and language in AUTHORITY_LANGUAGES:
            self.name_rows = [{**row, "language": language} if row["key"] == key else row for row in self.name_rows]

    @rx.event
    def set_name_text(self, key: str, text: str):
        if isinstance(text, str):
            self.name_rows = [{**row, "name": text[:300]} if row["key"] == key else row for row in self.name_rows]

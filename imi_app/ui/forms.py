"""Form fields with a label, a hint and the server's message beside the field."""

from __future__ import annotations

import reflex as rx

from imi_app.core.i18n import FAMILY_NAME_FIRST_LANGUAGES, N_
from imi_app.ui.base import AppState
from imi_app.ui.i18n import T


# A page's title: a step smaller on a phone, where a long German word would fill the line.
PAGE_TITLE_SIZE = rx.breakpoints(initial="6", sm="7")


def field_error(error: rx.Var, element_id: str = "") -> rx.Component:
    """The server's message about a field; role=alert, so a screen reader says it when it appears."""
    return rx.cond(
        error != "",
        rx.text(rx.icon("circle-alert", size=14), error, color_scheme="red", size="2",
                display="flex", align_items="center", gap="1", role="alert",
                **({"id": element_id} if element_id else {})),
    )


def described_by(name: str, error: rx.Var, hint: str) -> dict[str, rx.Var]:
    """A field's ties to its hint and to its message (read out with the field), and whether it is invalid."""
    with_hint = f"{name}-hint" if hint else ""
    # None leaves the attribute out (React drops null props): no reference to an element that is not there.
    return {"aria_describedby": rx.cond(error != "", f"{name}-error {with_hint}".strip(), with_hint or None),
            "aria_invalid": rx.cond(error != "", "true", "false")}


def _hint(name: str, hint: str) -> rx.Component:
    return rx.text(T(hint), size="1", color_scheme="gray", id=f"{name}-hint") if hint else rx.fragment()


def text_field(label: str, name: str, *, errors: rx.Var, type: str = "text", hint: str = "",
               default_value: rx.Var | str | None = None, autocomplete: str = "off", max_length: int = 0,
               **props) -> rx.Component:
    error = errors.get(name, "").to(str)
    input_props = {"name": name, "id": name, "type": type, "auto_complete": autocomplete, "size": "3",
                   "color_scheme": rx.cond(error != "", "red", "gray")}
    if default_value is not None:
        input_props["default_value"] = default_value
    if max_length:
        input_props["max_length"] = max_length
    input_props.update(described_by(name, error, hint))
    input_props.update(props)
    return rx.vstack(
        rx.el.label(T(label), html_for=name, class_name="imi-label"),
        rx.input(**input_props, width="100%"),
        _hint(name, hint),
        field_error(error, f"{name}-error"),
        spacing="1",
        width="100%",
    )


def select_field(label: str, name: str, options: rx.Var | list[rx.Component], *, errors: rx.Var, hint: str = "",
                 error_name: str = "", sent: bool = True, **root_props) -> rx.Component:
    """A select with a label, a hint and the server's message (under `error_name`, by default `name`).

    `options`: a list var of [value, text] pairs, or the select's items. A select the state controls
    (value and on_change in `root_props`) is not `sent` with the form."""
    items = options if isinstance(options, list) else [
        rx.foreach(options, lambda item: rx.select.item(item[1], value=item[0]))]
    error = errors.get(error_name or name, "").to(str)
    return rx.vstack(
        rx.el.label(T(label), html_for=name, class_name="imi-label"),
        rx.select.root(
            rx.select.trigger(id=name, width="100%", **described_by(name, error, hint)),
            rx.select.content(*items),
            name=name if sent else None, size="3", **root_props,
        ),
        _hint(name, hint),
        field_error(error, f"{name}-error"),
        spacing="1", width="100%",
    )


def submit_button(label: str, *, loading: rx.Var | bool = False, **props) -> rx.Component:
    return rx.button(T(label), type="submit", size="3", loading=loading, **props)


def page_heading(title: str, subtitle: str = "") -> rx.Component:
    return rx.vstack(
        rx.heading(T(title), size=PAGE_TITLE_SIZE, weight="bold"),
        rx.cond(subtitle != "", rx.text(T(subtitle) if subtitle else "", color_scheme="gray", size="3")),
        spacing="1",
        margin_bottom="16px",
    )


def auth_form(title: str, intro: str, *children: rx.Component, spacing: str = "4", **form_props) -> rx.Component:
    """A form on a page outside the menu (sign-in, self-registration): its heading, what to do, its fields."""
    return rx.form(
        rx.vstack(
            rx.heading(T(title), size="6"),
            rx.text(T(intro), color_scheme="gray", size="2"),
            *children,
            spacing=spacing, width="100%",
        ),
        **form_props,
    )


def person_name_fields(prefix: str, *, errors: rx.Var, columns: str = "2") -> rx.Component:
    """A new user's family name (`<prefix>family_name`) and given name (`<prefix>given_name`), in the order the
    reader's language writes names: the family name first in Hungarian ("Családi név", then "Utónév")."""
    family_first = rx.Var.create(list(FAMILY_NAME_FIRST_LANGUAGES)).contains(AppState.lang)

    def family() -> rx.Component:
        return text_field(N_("Family name"), f"{prefix}family_name", errors=errors, max_length=100)

    def given() -> rx.Component:
        return text_field(N_("Given name"), f"{prefix}given_name", errors=errors, max_length=100,
                          hint=N_("Optional. Leave it empty for a person with one name only."))

    def grid(*fields: rx.Component) -> rx.Component:
        return rx.grid(*fields, columns=rx.breakpoints(initial="1", sm=columns), spacing="4", width="100%")

    return rx.cond(family_first, grid(family(), given()), grid(given(), family()))

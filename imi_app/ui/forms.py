"""Form fields with a label, a hint and the server's message beside the field."""

from __future__ import annotations

import reflex as rx

from imi_app.ui.i18n import T


def field_error(error: rx.Var) -> rx.Component:
    return rx.cond(
        error != "",
        rx.text(rx.icon("circle-alert", size=14), error, color_scheme="red", size="2",
                display="flex", align_items="center", gap="1", role="alert"),
    )


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
    input_props.update(props)
    return rx.vstack(
        rx.el.label(T(label), html_for=name, class_name="imi-label"),
        rx.input(**input_props, width="100%"),
        rx.cond(hint != "", rx.text(T(hint) if hint else "", size="1", color_scheme="gray")),
        field_error(error),
        spacing="1",
        width="100%",
    )


def submit_button(label: str, *, loading: rx.Var | bool = False, **props) -> rx.Component:
    return rx.button(T(label), type="submit", size="3", loading=loading, **props)


def page_heading(title: str, subtitle: str = "") -> rx.Component:
    return rx.vstack(
        rx.heading(T(title), size="7", weight="bold"),
        rx.cond(subtitle != "", rx.text(T(subtitle) if subtitle else "", color_scheme="gray", size="3")),
        spacing="1",
        margin_bottom="16px",
    )

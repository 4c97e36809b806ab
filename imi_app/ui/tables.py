"""What the list pages share: the table whose side columns hide on narrow screens, the row that opens its
entry, the card shown instead of an empty table, and the search and filter fields above it."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import reflex as rx

from imi_app.ui.forms import field_error
from imi_app.ui.i18n import T

WIDE = ["none", "none", "table-cell"]  # a side column: shown from the md breakpoint up
NARROW = ["flex", "flex", "none"]  # what stands in for the side columns below it
NARROW_BLOCK = ["block", "block", "none"]
INLINE_WIDE = ["none", "none", "inline"]


def column(label: str, *, side: bool = False, **props) -> rx.Component:
    """A column header; a side column is shown on wide screens only."""
    if side:
        props["display"] = WIDE
    return rx.table.column_header_cell(T(label), **props)


def open_column() -> rx.Component:
    """The narrow last column of the "open" chevrons."""
    return rx.table.column_header_cell(rx.box(), width="1%")


def list_table(columns: Sequence[rx.Component], rows: rx.Var, row: Callable[[rx.Var], rx.Component],
               element_id: str) -> rx.Component:
    return rx.table.root(
        rx.table.header(rx.table.row(*columns)),
        rx.table.body(rx.foreach(rows, row)),
        variant="surface", width="100%", id=element_id,
    )


def opening_row(*cells: rx.Component, href: rx.Var, element_id: rx.Var | str, **props) -> rx.Component:
    """A row that opens its entry wherever it is clicked."""
    return rx.table.row(
        *cells,
        on_click=rx.redirect(href), cursor="pointer", id=element_id,
        _hover={"background": rx.color("gray", 2)}, align="center", **props,
    )


def side_cell(content: rx.Component) -> rx.Component:
    return rx.table.cell(content, display=WIDE)


def side_text(value: rx.Var) -> rx.Component:
    return side_cell(rx.text(value, size="2"))


def empty_card(icon: str, message: rx.Var, element_id: str, *, hint: rx.Component | None = None,
               action: rx.Component | None = None, icon_color: str = "gray", icon_size: int = 18) -> rx.Component:
    """Stands instead of a list that has no rows: what is (not) there, and what to do about it."""
    text = rx.vstack(message, hint, spacing="1") if hint is not None else message
    parts = [rx.icon(icon, size=icon_size, color=rx.color(icon_color, 10)), text]
    if action is not None:
        parts.append(action)
    return rx.card(
        rx.hstack(*parts, align="start" if hint is not None else "center", spacing="3" if hint is not None else "2",
                  wrap="wrap"),
        width="100%", id=element_id,
    )


def search_field(placeholder: str, *, value: rx.Var, on_change, element_id: str, max_length: int,
                 error: rx.Var) -> rx.Component:
    """The list's free-text search, its placeholder its name for screen readers too."""
    return rx.vstack(
        rx.input(
            rx.input.slot(rx.icon("search", size=16)),
            placeholder=T(placeholder), value=value, on_change=on_change,
            id=element_id, type="search", max_length=max_length, size="3", width="100%",
            custom_attrs={"aria-label": T(placeholder)},
        ),
        field_error(error),
        spacing="1", width="100%",
    )


def filter_label(text: str, html_for: str) -> rx.Component:
    return rx.el.label(T(text), html_for=html_for, class_name="imi-label")


def filter_field(label: str, element_id: str, control: rx.Component, error: rx.Var) -> rx.Component:
    """One filter of a list: its label, the control and what is wrong with the value."""
    return rx.vstack(
        filter_label(label, element_id), control, field_error(error),
        spacing="1", width="100%", min_width="0",
    )


def filter_select(label: str, element_id: str, *, value: rx.Var, on_change, options: rx.Var, error: rx.Var,
                  all_label: str | None = None, all_value: str = "all", size: str = "2") -> rx.Component:
    """A filter that picks one of `options` ([value, label] pairs), or none with `all_label`. Each option has
    an id (the select's id and the value), so tests need not know the language."""
    items = [rx.select.item(T(all_label), value=all_value, id=f"{element_id}-{all_value}")] if all_label else []
    return filter_field(label, element_id, rx.select.root(
        rx.select.trigger(id=element_id, width="100%"),
        rx.select.content(*items, rx.foreach(options, lambda o: rx.select.item(
            o[1], value=o[0], id=f"{element_id}-{o[0]}"))),
        value=value, on_change=on_change, size=size,
    ), error)


def filter_card(search: rx.Component, *fields: rx.Component, columns: rx.Var | dict,
                footer: rx.Component | None = None) -> rx.Component:
    """The box above a list: its search on top, the filters in a grid below, then what else it offers."""
    return rx.card(
        rx.vstack(
            search,
            rx.grid(*fields, columns=columns, spacing="3", width="100%"),
            *([footer] if footer is not None else []),
            spacing="3", width="100%",
        ),
        width="100%",
    )

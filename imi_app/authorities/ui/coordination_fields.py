"""Form pieces the coordination pages share: authority data, names in further languages, areas, first user."""

from __future__ import annotations

import reflex as rx

from imi_app.ui.forms import field_error, person_name_fields, select_field, text_field
from imi_app.ui.i18n import T
from imi_app.core.i18n import N_, language_name
from imi_app.authorities.own_authority import AUTHORITY_LANGUAGES
from imi_app.ui.base import AppState


def section(title: str, *children: rx.Component, hint: str = "") -> rx.Component:
    return rx.vstack(
        rx.heading(T(title), size="4"),
        rx.text(T(hint), size="2", color_scheme="gray") if hint else rx.fragment(),
        *children, spacing="3", width="100%",
    )


def error_of(S, name: str) -> rx.Var:
    return S.errors.get(name, "").to(str)


def address_field(S) -> rx.Component:
    error = error_of(S, "address")
    return rx.vstack(
        rx.el.label(T("Address"), html_for="address", class_name="imi-label"),
        rx.text_area(name="address", id="address", max_length=500, rows="3", size="3", width="100%",
                     color_scheme=rx.cond(error != "", "red", "gray")),
        field_error(error),
        spacing="1", width="100%",
    )


def languages_field(S, *, wide: bool = True) -> rx.Component:
    return rx.vstack(
        rx.text(T("Languages the authority works in"), class_name="imi-label"),
        rx.grid(
            *[rx.checkbox(language_name(code), name=f"lang:{code}", id=f"lang-{code}", size="2")
              for code in AUTHORITY_LANGUAGES],
            columns=rx.breakpoints(initial="2", sm="3", md="4") if wide else "2", spacing="3", width="100%",
        ),
        field_error(error_of(S, "languages")),
        spacing="2", width="100%",
    )


def contact_fields(S, *, columns: str = "2") -> rx.Component:
    errors = S.errors
    return rx.vstack(
        text_field(N_("Official name"), "official_name", errors=errors, max_length=300,
                   hint=N_("As in the authority's founding act, in the language of the country.")),
        rx.grid(
            text_field(N_("Contact e-mail address"), "contact_email", errors=errors, type="email", max_length=254,
                       hint=N_("Notifications of new requests also go to this address.")),
            text_field(N_("Phone"), "phone", errors=errors, type="tel", max_length=40,
                       hint=N_("Optional. Digits, spaces and + ( ) . / -")),
            columns=rx.breakpoints(initial="1", sm=columns), spacing="4", width="100%",
        ),
        address_field(S),
        spacing="4", width="100%",
    )


def _name_row(S, row) -> rx.Component:
    return rx.flex(
        rx.box(rx.select.root(
            rx.select.trigger(placeholder=T("Language"), width="100%", id=f"name-language-{row['key']}",
                              aria_label=T("Language of the name")),
            rx.select.content(rx.foreach(S.name_languages, lambda item: rx.select.item(item[1], value=item[0]))),
            value=row["language"], on_change=lambda value: S.set_name_language(row["key"], value), size="3",
        ), width="150px", flex_shrink="0"),
        rx.box(rx.input(value=row["name"], on_change=lambda value: S.set_name_text(row["key"], value), size="3",
                        max_length=300, width="100%", id=f"name-text-{row['key']}", name=f"name-text-{row['key']}",
                        custom_attrs={"aria-label": T("Name in this language")}),
               flex="1 1 10em", min_width="0"),
        rx.icon_button(rx.icon("x", size=16), variant="soft", color_scheme="gray", size="3", type="button",
                       on_click=S.remove_name_row(row["key"]), aria_label=T("Remove"), title=T("Remove"),
                       flex_shrink="0"),
        # On a phone the name goes under its language rather than being squeezed to a few letters.
        spacing="2", width="100%", align="center", wrap="wrap",
    )


def names_field(S) -> rx.Component:
    return rx.vstack(
        rx.text(T("Names in further languages"), class_name="imi-label"),
        rx.text(T("Optional. The directory finds the authority by each of its names."), size="1", color_scheme="gray"),
        rx.foreach(S.name_rows, lambda row: _name_row(S, row)),
        rx.button(rx.icon("plus", size=14), T("Add a name in another language"), variant="soft", size="2",
                  type="button", on_click=S.add_name_row, id="add-name"),
        field_error(error_of(S, "other_names")),
        spacing="2", width="100%", align="start",
    )


def _area_row(row) -> rx.Component:
    return rx.vstack(
        rx.checkbox(rx.text(row["name"], weight="medium"), name=f"area:{row['id']}", id=f"area-{row['code']}",
                    size="2"),
        rx.input(name=f"keywords:{row['id']}", id=f"keywords-{row['code']}", max_length=1000, size="2",
                 width="100%", placeholder=T("Keywords describing the competences, separated by commas"),
                 custom_attrs={"aria-label": T("Keywords")}),
        spacing="2", width="100%", padding="12px", border=f"1px solid {rx.color('gray', 5)}", border_radius="8px",
    )


def areas_field(S) -> rx.Component:
    return rx.vstack(
        rx.foreach(S.areas, _area_row),
        field_error(error_of(S, "areas")),
        spacing="2", width="100%",
    )


def first_user_fields(S, *, columns: str = "2") -> rx.Component:
    errors = S.errors
    return rx.vstack(
        person_name_fields("user_", errors=errors, columns=columns),
        text_field(N_("E-mail address"), "user_email", errors=errors, type="email", max_length=254,
                   hint=N_("The temporary password goes here. Must not belong to another user.")),
        select_field(N_("Preferred language"), "user_language", AppState.languages, errors=errors,
                     default_value=AppState.lang,
                     hint=N_("Automatic e-mails to the user are written in this language.")),
        spacing="4", width="100%",
    )


def authority_status_badge(status: rx.Var) -> rx.Component:
    return rx.match(
        status,
        ("active", rx.badge(T("Active"), color_scheme="green", variant="soft")),
        ("pending", rx.badge(rx.icon("hourglass", size=12), T("Awaiting validation"), color_scheme="amber",
                             variant="soft")),
        ("rejected", rx.badge(T("Rejected"), color_scheme="red", variant="soft")),
        rx.badge(status, variant="soft"),
    )


def coordinator_badge() -> rx.Component:
    return rx.badge(rx.icon("network", size=12), T("IMI coordinator"), color_scheme="indigo", variant="surface")

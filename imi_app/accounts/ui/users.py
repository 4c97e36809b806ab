"""Manage users of my authority: the searchable, paginated list of users."""

from __future__ import annotations

import reflex as rx

from imi_app.core import routes
from imi_app.ui.admin import access_gate, lda_badge, pager, status_badge
from imi_app.ui.forms import page_heading
from imi_app.ui.i18n import T
from imi_app.core.i18n import N_
from imi_app.ui.layout import app_page
from imi_app.ui.tables import (
    INLINE_WIDE, NARROW_BLOCK, column, empty_card, list_table, open_column, opening_row, side_cell, side_text,
)
from imi_app.accounts.ui.users_state import UsersState



def _badges(row) -> rx.Component:
    return rx.flex(status_badge(row["status"]), rx.cond(row["lda"], lda_badge()), spacing="2", wrap="wrap")


def _name_cell(row) -> rx.Component:
    # On a phone the username, e-mail and status sit under the name instead of in their own columns.
    return rx.table.row_header_cell(
        rx.vstack(
            rx.text(row["name"], weight="medium"),
            rx.box(rx.code(row["username"], variant="ghost", size="2"), display=NARROW_BLOCK),
            rx.text(row["email"], size="1", color_scheme="gray", display=NARROW_BLOCK, word_break="break-all"),
            rx.box(_badges(row), display=NARROW_BLOCK),
            spacing="1",
        ),
    )


def _edit_link(row) -> rx.Component:
    return rx.link(
        rx.hstack(rx.icon("pencil", size=14), rx.text(T("Edit"), display=INLINE_WIDE), spacing="1", align="center"),
        href=row["href"], id=f"edit-user-{row['id']}", aria_label=T("Edit"), on_click=rx.stop_propagation,
    )


def _row(row) -> rx.Component:
    return opening_row(
        _name_cell(row),
        side_cell(rx.code(row["username"], variant="ghost", size="2", class_name="imi-username")),
        side_text(row["email"]),
        side_cell(_badges(row)),
        rx.table.cell(_edit_link(row), text_align="right"),
        href=row["href"], element_id=f"user-row-{row['id']}",
    )


def _table() -> rx.Component:
    return list_table([column(N_("Name")), column(N_("Username"), side=True), column(N_("E-mail"), side=True),
                       column(N_("Status"), side=True), open_column()], UsersState.users, _row, "users-table")


def _empty() -> rx.Component:
    return empty_card("users", rx.text(rx.cond(UsersState.search != "", T("No user matches your search."),
                                               T("Your authority has no users yet."))), "users-empty")


def _toolbar() -> rx.Component:
    return rx.flex(
        rx.input(
            rx.input.slot(rx.icon("search", size=16)),
            placeholder=T("Search by name, e-mail or username"),
            value=UsersState.search,
            on_change=UsersState.set_search.debounce(300),
            id="users-search", type="search", max_length=100, size="3", width="100%",
            custom_attrs={"aria-label": T("Search by name, e-mail or username")},
        ),
        rx.link(rx.button(rx.icon("user-plus", size=16), T("Register a user"), size="3", id="register-user"),
                href=routes.ADMIN_USER_NEW, flex_shrink="0"),
        spacing="3", width="100%", direction=rx.breakpoints(initial="column-reverse", sm="row"),
        align=rx.breakpoints(initial="stretch", sm="center"),
    )


def _content() -> rx.Component:
    return rx.vstack(
        _toolbar(),
        rx.text(T("The username is never e-mailed. When a user forgets it, look it up here and tell them "
                  "in person or by phone."), size="2", color_scheme="gray"),
        rx.cond(UsersState.users.length() > 0, _table(), _empty()),
        pager(UsersState.counter, UsersState.has_previous, UsersState.has_next,
              UsersState.previous_page, UsersState.next_page, "users"),
        spacing="4", width="100%",
    )


def users_page() -> rx.Component:
    return app_page(
        rx.vstack(
            page_heading(N_("Manage users of my authority"),
                         N_("Register users, set their roles, create new passwords.")),
            access_gate(UsersState.access, _content()),
            spacing="4", width="100%", on_unmount=UsersState.leave,
        )
    )

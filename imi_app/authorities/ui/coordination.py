"""Coordinator screens: authorities I coordinate, registering, inviting, validating; self-registration."""

from __future__ import annotations

import reflex as rx

from imi_app.core import routes
from imi_app.ui.admin import access_gate, pager
from imi_app.ui.base import AppState
from imi_app.ui.forms import page_heading
from imi_app.ui.i18n import T
from imi_app.ui.layout import app_page
from imi_app.ui.tables import (
    INLINE_WIDE, NARROW_BLOCK, column, empty_card, list_table, open_column, opening_row, side_cell, side_text,
)
from imi_app.core.i18n import N_
from imi_app.authorities.ui.coordination_detail import detail_page
from imi_app.authorities.ui.coordination_fields import authority_status_badge, coordinator_badge
from imi_app.authorities.ui.coordination_forms import invite_page, register_page
from imi_app.authorities.ui.self_registration import self_register_page
from imi_app.authorities.ui.coordination_state import ALL, CoordinatedListState as S
from imi_app.authorities.ui.coordination_detail_state import CoordinatedDetailState
from imi_app.authorities.ui.coordination_forms_state import InviteAuthorityState, RegisterAuthorityState
from imi_app.authorities.ui.self_registration_state import SelfRegisterState



def _queue_row(row) -> rx.Component:
    return rx.link(
        rx.hstack(
            rx.vstack(rx.text(row["name"], weight="medium", size="2"),
                      rx.text(T("Registered"), " ", row["registered"], " · ", row["coordinator"], size="1",
                              color_scheme="gray"),
                      spacing="0", min_width="0"),
            rx.spacer(),
            rx.hstack(rx.text(T("Review"), size="2"), rx.icon("chevron-right", size=16), spacing="1",
                      align="center", flex_shrink="0"),
            align="center", width="100%", padding_y="8px",
        ),
        href=row["href"], underline="none", color="inherit", id=f"pending-row-{row['id']}", width="100%",
    )


def _queue() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.icon("inbox", size=18, color=rx.color("amber", 10)),
                rx.heading(T("Awaiting validation"), size="4"),
                rx.badge(S.queue_count, color_scheme=rx.cond(S.queue_count > 0, "amber", "gray"), variant="solid",
                         radius="full", id="pending-count"),
                align="center", spacing="2",
            ),
            rx.cond(
                S.queue_count > 0,
                rx.vstack(
                    rx.foreach(S.queue, _queue_row),
                    rx.cond(S.queue_count > S.queue.length(),
                            rx.button(T("Show all awaiting validation"), variant="ghost", size="2",
                                      on_click=S.show_pending, id="show-pending")),
                    spacing="0", width="100%", class_name="imi-queue",
                ),
                rx.text(T("No registration is waiting for validation."), size="2", color_scheme="gray"),
            ),
            spacing="2", width="100%",
        ),
        width="100%", id="pending-queue",
        border_left=rx.cond(S.queue_count > 0, f"4px solid {rx.color('amber', 9)}", "none"),
    )


def _filters() -> rx.Component:
    return rx.flex(
        rx.box(rx.input(
            rx.input.slot(rx.icon("search", size=16)),
            placeholder=T("Search by name, in any language"), value=S.search,
            on_change=S.set_search.debounce(300), id="coordinated-search", type="search", max_length=100,
            size="3", width="100%", custom_attrs={"aria-label": T("Search by name, in any language")},
        ), flex="2", min_width="0", width="100%"),
        rx.box(rx.select.root(
            rx.select.trigger(id="status-filter", width="100%", aria_label=T("Status")),
            rx.select.content(
                rx.select.item(T("Every status"), value=ALL),
                rx.select.item(T("Active"), value="active"),
                rx.select.item(T("Awaiting validation"), value="pending"),
                rx.select.item(T("Rejected"), value="rejected"),
            ),
            value=S.status, on_change=S.set_status, size="3",
        ), flex="1", min_width="0", width="100%"),
        rx.box(rx.select.root(
            rx.select.trigger(id="area-filter", width="100%", aria_label=T("Legislative area")),
            rx.select.content(
                rx.select.item(T("Every legislative area"), value=ALL),
                rx.foreach(S.area_options, lambda item: rx.select.item(item[1], value=item[0])),
            ),
            value=S.area, on_change=S.set_area, size="3",
        ), flex="1", min_width="0", width="100%"),
        spacing="3", width="100%", direction=rx.breakpoints(initial="column", md="row"),
    )


def _toolbar() -> rx.Component:
    return rx.flex(
        rx.link(rx.button(rx.icon("building-2", size=16), T("Register an authority"), size="3",
                          id="register-authority", width="100%"), href=routes.ADMIN_COORDINATED_NEW),
        rx.link(rx.button(rx.icon("send", size=16), T("Invite an authority"), size="3", variant="soft",
                          id="invite-authority", width="100%"), href=routes.ADMIN_COORDINATED_INVITE),
        spacing="3", wrap="wrap", direction=rx.breakpoints(initial="column", sm="row"),
        width=rx.breakpoints(initial="100%", sm="auto"),
    )


def _name_cell(row) -> rx.Component:
    # On a phone the coordinator, the areas and the status sit under the name.
    return rx.table.row_header_cell(rx.vstack(
        rx.link(row["name"], href=row["href"], weight="medium", id=f"coordinated-link-{row['id']}"),
        rx.cond(row["is_coordinator"], coordinator_badge()),
        rx.text(row["areas"], size="1", color_scheme="gray", display=NARROW_BLOCK),
        rx.box(authority_status_badge(row["status"]), display=NARROW_BLOCK),
        spacing="1",
    ))


def _row(row) -> rx.Component:
    return opening_row(
        _name_cell(row),
        side_text(row["coordinator"]),
        side_text(row["areas"]),
        side_cell(authority_status_badge(row["status"])),
        rx.table.cell(rx.link(rx.hstack(rx.text(T("Open"), display=INLINE_WIDE), rx.icon("chevron-right", size=16),
                                        spacing="1", align="center"),
                              href=row["href"], aria_label=T("Open"), on_click=rx.stop_propagation),
                      text_align="right"),
        href=row["href"], element_id=f"coordinated-row-{row['id']}",
    )


def _table() -> rx.Component:
    return list_table([column(N_("Authority")), column(N_("Coordinator"), side=True),
                       column(N_("Legislative areas"), side=True), column(N_("Status"), side=True), open_column()],
                      S.rows, _row, "coordinated-table")


def _empty() -> rx.Component:
    return empty_card(
        "building-2",
        rx.text(rx.cond(S.filtered, T("No authority matches your search."),
                        T("You do not coordinate any authority yet. Register one or send an invitation."))),
        "coordinated-empty",
        action=rx.cond(S.filtered, rx.button(T("Clear the filters"), variant="ghost", size="2",
                                             on_click=S.clear_filters, id="clear-filters")),
    )


def _content() -> rx.Component:
    return rx.vstack(
        _toolbar(),
        _queue(),
        _filters(),
        rx.cond(S.rows.length() > 0, _table(), _empty()),
        pager(S.counter, S.has_previous, S.has_next, S.previous_page, S.next_page, "coordinated"),
        spacing="4", width="100%",
    )


def coordinated_page() -> rx.Component:
    return app_page(rx.vstack(
        page_heading(N_("Authorities I coordinate"),
                     N_("Register and validate authorities, and manage their names, legislative areas and local "
                        "data administrators.")),
        access_gate(S.access, _content()),
        spacing="4", width="100%", on_unmount=S.leave,
    ))


def add_coordination_pages(app: rx.App) -> None:
    """Adds the pages of this module to the app."""
    app.add_page(coordinated_page, route=routes.ADMIN_COORDINATED, title="IMI", on_load=S.open_list)
    app.add_page(register_page, route=routes.ADMIN_COORDINATED_NEW, title="IMI",
                 on_load=RegisterAuthorityState.open_new)
    app.add_page(invite_page, route=routes.ADMIN_COORDINATED_INVITE, title="IMI",
                 on_load=InviteAuthorityState.open_invite)
    app.add_page(detail_page, route=routes.ADMIN_COORDINATED_DETAIL, title="IMI",
                 on_load=CoordinatedDetailState.open_detail)
    app.add_page(self_register_page, route=routes.REGISTER_AUTHORITY, title="IMI",
                 on_load=[AppState.adopt_browser_language, SelfRegisterState.open_register])

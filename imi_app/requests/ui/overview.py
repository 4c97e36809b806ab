"""The requests overview: filters, search, sort, keyset pages and CSV export of my authority's requests."""

from __future__ import annotations

import reflex as rx

from imi_app.core import routes
from imi_app.ui.admin import access_gate, pager
from imi_app.ui.forms import page_heading
from imi_app.ui.i18n import T
from imi_app.ui.layout import app_page
from imi_app.ui.tables import (
    NARROW, column, empty_card, filter_card, filter_field, filter_select, list_table, opening_row, search_field,
    side_cell, side_text,
)
from imi_app.requests.ui.badges import request_status_badge
from imi_app.core.i18n import N_
from imi_app.requests.ui.overview_state import ALL, SEARCH_MAX
from imi_app.requests.ui.overview_state import OverviewState as S

DIRECTION_ICONS = (("incoming", "arrow-down-left"), ("outgoing", "arrow-up-right"), ("forwarded", "forward"))


# --- pieces the task list shares -----------------------------------------------------------------

def due_badge(row) -> rx.Component:
    """Red for overdue ones ("Overdue by N days"), plain text for the others."""
    return rx.cond(
        row["overdue"],
        rx.badge(rx.icon("triangle-alert", size=12), row["due_text"], color_scheme="red", variant="solid",
                 class_name="imi-overdue"),
        rx.cond(row["due_text"] != "", rx.text(row["due_text"], size="1", color_scheme="gray")),
    )


def deadline_cell(row) -> rx.Component:
    return rx.vstack(
        rx.text(rx.cond(row["deadline"] != "", row["deadline"], "—"), size="2", white_space="nowrap"),
        due_badge(row),
        spacing="1", align="start",
    )


def counterpart(row, **props) -> rx.Component:
    return rx.vstack(
        rx.text(row["counterpart"], size="2"),
        rx.text(row["country"], size="1", color_scheme="gray"),
        spacing="0", **props,
    )


def case_id(row) -> rx.Component:
    return rx.code(row["case_id"], variant="ghost", size="2", color_scheme="gray", white_space="nowrap",
                   class_name="imi-case-id")


# --- filters -------------------------------------------------------------------------------------

def _select(label: str, element_id: str, value: rx.Var, on_change, all_label: str | None,
            options: rx.Var, error: str) -> rx.Component:
    return filter_select(label, element_id, value=value, on_change=on_change, options=options,
                         error=S.errors.get(error, "").to(str), all_label=all_label, all_value=ALL, size="2")


def _date(label: str, element_id: str, value: rx.Var, on_change, error: str) -> rx.Component:
    return filter_field(label, element_id, rx.input(type="date", id=element_id, value=value, on_change=on_change,
                                                    size="2", width="100%"), S.errors.get(error, "").to(str))


def _search() -> rx.Component:
    return search_field(N_("Search by subject or case id"), value=S.search, on_change=S.set_search.debounce(400),
                        element_id="overview-search", max_length=SEARCH_MAX, error=S.errors.get("search", "").to(str))


def _filters() -> rx.Component:
    return filter_card(
        _search(),
        _select(N_("Status"), "overview-status", S.status, S.set_status, N_("All statuses"), S.status_options,
                "status"),
        _select(N_("Direction"), "overview-direction", S.direction, S.set_direction, N_("Incoming and outgoing"),
                S.direction_options, "direction"),
        _select(N_("Legislative area"), "overview-area", S.area, S.set_area, N_("All legislative areas"),
                S.area_options, "area_id"),
        _select(N_("Counterpart country"), "overview-country", S.country, S.set_country, N_("All countries"),
                S.country_options, "country"),
        _select(N_("Allocated handler"), "overview-handler", S.handler, S.set_handler, N_("Anyone"),
                S.handler_options, "handler_id"),
        _date(N_("Created from"), "overview-created-from", S.created_from, S.set_created_from, "created_from"),
        _date(N_("Created to"), "overview-created-to", S.created_to, S.set_created_to, "created_to"),
        _select(N_("Sort by"), "overview-sort", S.sort, S.set_sort, None, S.sort_options, "sort"),
        columns=rx.breakpoints(initial="2", md="4"),
        footer=rx.flex(
            rx.hstack(
                rx.checkbox(id="overview-overdue", checked=S.overdue, on_change=S.set_overdue),
                rx.el.label(T("Overdue only"), html_for="overview-overdue", class_name="imi-label"),
                spacing="2", align="center",
            ),
            rx.spacer(),
            rx.cond(S.filtered, rx.button(rx.icon("x", size=14), T("Clear filters"), variant="ghost", margin="0",
                                          color_scheme="gray", on_click=S.clear_filters, id="overview-clear")),
            width="100%", align="center", spacing="3", wrap="wrap",
        ),
    )


# --- the list ------------------------------------------------------------------------------------

def _direction(row) -> rx.Component:
    icon = rx.match(row["direction"], *((d, rx.icon(name, size=12)) for d, name in DIRECTION_ICONS),
                    rx.icon("arrow-left-right", size=12))
    return rx.badge(icon, row["direction_label"], variant="outline", color_scheme="gray")


def _request_cell(row) -> rx.Component:
    # On a phone the status, counterpart, area and deadline sit under the subject instead of in columns.
    return rx.table.row_header_cell(
        rx.vstack(
            rx.flex(case_id(row), _direction(row), spacing="2", wrap="wrap", align="center"),
            rx.link(row["subject"], href=row["href"], weight="medium", high_contrast=True,
                    on_click=rx.stop_propagation, class_name="imi-request-link"),
            rx.cond(row["handlers"] != "", rx.hstack(
                rx.icon("user-round", size=12), rx.text(row["handlers"], size="1"),
                color=rx.color("gray", 11), spacing="1", align="center")),
            rx.flex(request_status_badge(row["status"], row["status_label"]), due_badge(row),
                    spacing="2", wrap="wrap", align="center", display=NARROW),
            rx.text(row["counterpart"], " · ", row["country"], size="1", color_scheme="gray", display=NARROW),
            rx.text(row["area"], size="1", color_scheme="gray", display=NARROW),
            spacing="1", align="start", min_width="0",
        ),
    )


def _row(row) -> rx.Component:
    return opening_row(
        _request_cell(row),
        side_cell(request_status_badge(row["status"], row["status_label"])),
        side_cell(counterpart(row)),
        side_text(row["area"]),
        side_cell(deadline_cell(row)),
        side_cell(rx.text(row["updated"], size="1", color_scheme="gray", white_space="nowrap")),
        href=row["href"], element_id=f"overview-row-{row['id']}",
    )


def _table() -> rx.Component:
    return list_table([column(N_("Request")), column(N_("Status"), side=True), column(N_("Counterpart"), side=True),
                       column(N_("Legislative area"), side=True), column(N_("Deadline"), side=True),
                       column(N_("Last change"), side=True)], S.rows, _row, "overview-table")


def _empty() -> rx.Component:
    return empty_card("inbox", rx.text(rx.cond(S.filtered, T("No request matches these filters."),
                                               T("Your authority has no requests yet."))), "overview-empty")


def _toolbar() -> rx.Component:
    return rx.flex(
        rx.cond(S.figure_chip == "",
                page_heading(N_("Requests"), N_("All incoming and outgoing requests of my authority.")),
                page_heading(N_("Requests"), N_("The requests a figure of the dashboard counts."))),
        rx.spacer(),
        rx.hstack(
            rx.cond(S.figure_chip == "", rx.button(rx.icon("download", size=16), T("Export CSV"), variant="soft",
                                                   size="3", on_click=S.export_csv, id="overview-export")),
            rx.cond(S.can_create_request, rx.link(rx.button(rx.icon("plus", size=16), T("New request"), size="3",
                                                    id="overview-new-request"), href=routes.REQUEST_NEW)),
            spacing="2", wrap="wrap",
        ),
        direction=rx.breakpoints(initial="column", sm="row"), align=rx.breakpoints(initial="start", sm="start"),
        spacing="2", width="100%",
    )


def _figure_chip() -> rx.Component:
    """The scoreboard figure whose requests are listed: said in words, removed with its button."""
    return rx.card(rx.flex(
        rx.icon("gauge", size=18, color=rx.color("indigo", 10), flex_shrink="0"),
        rx.vstack(rx.text(S.figure_chip, size="2", weight="medium", id="figure-chip-label"),
                  rx.text(S.figure_count, size="1", color_scheme="gray", id="figure-chip-count"), spacing="0",
                  flex="1 1 14em", min_width="0"),  # on a phone the button goes below the words
        rx.button(rx.icon("x", size=14), T("Remove this filter"), variant="soft", color_scheme="gray", size="1",
                  on_click=S.clear_figure, id="figure-chip-remove"),
        align="center", gap="3", wrap="wrap", width="100%"),
        width="100%", id="figure-chip")


def _content() -> rx.Component:
    return rx.vstack(
        rx.cond(S.figure_chip != "", _figure_chip(), _filters()),
        rx.cond(S.rows.length() > 0, _table(), _empty()),
        pager(S.page_label, S.has_previous, S.has_next, S.previous_page, S.next_page, "overview"),
        rx.text(T("Shows no personal data. Open a request to see the person concerned, if you may."),
                size="1", color_scheme="gray"),
        spacing="4", width="100%",
    )


def overview_page() -> rx.Component:
    return app_page(
        rx.vstack(
            _toolbar(),
            access_gate(S.access, _content()),
            spacing="3", width="100%", on_unmount=S.leave,
        )
    )


def add_overview_pages(app: rx.App) -> None:
    """Adds the requests overview to the app."""
    app.add_page(overview_page, route=routes.REQUESTS_OVERVIEW, title="IMI", on_load=S.open_overview)

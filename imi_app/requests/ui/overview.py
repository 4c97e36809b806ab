"""The requests overview: filters, search, sort, keyset pages and CSV export of my authority's requests."""

from __future__ import annotations

import reflex as rx

from imi_app.core import routes
from imi_app.ui.admin import access_gate, pager
from imi_app.ui.forms import field_error, page_heading
from imi_app.ui.i18n import T
from imi_app.ui.layout import app_page
from imi_app.requests.ui.badges import request_status_badge
from imi_app.core.i18n import N_
from imi_app.requests.ui.overview_state import ALL, SEARCH_MAX
from imi_app.requests.ui.overview_state import OverviewState as S

WIDE = ["none", "none", "table-cell"]  # columns shown from the sm breakpoint up
NARROW = ["flex", "flex", "none"]
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

def _label(text: str, html_for: str) -> rx.Component:
    return rx.el.label(T(text), html_for=html_for, class_name="imi-label")


def _select(label: str, element_id: str, value: rx.Var, on_change, all_label: str | None,
            options: rx.Var, error: str) -> rx.Component:
    # Each option has an id (the select's id and the value), so tests need not know the language.
    items = [rx.select.item(T(all_label), value=ALL, id=f"{element_id}-{ALL}")] if all_label else []
    return rx.vstack(
        _label(label, element_id),
        rx.select.root(
            rx.select.trigger(id=element_id, width="100%"),
            rx.select.content(*items, rx.foreach(options, lambda o: rx.select.item(
                o[1], value=o[0], id=f"{element_id}-{o[0]}"))),
            value=value, on_change=on_change, size="2",
        ),
        field_error(S.errors.get(error, "").to(str)),
        spacing="1", width="100%", min_width="0",
    )


def _date(label: str, element_id: str, value: rx.Var, on_change, error: str) -> rx.Component:
    return rx.vstack(
        _label(label, element_id),
        rx.input(type="date", id=element_id, value=value, on_change=on_change, size="2", width="100%"),
        field_error(S.errors.get(error, "").to(str)),
        spacing="1", width="100%", min_width="0",
    )


def _search() -> rx.Component:
    return rx.vstack(
        rx.input(
            rx.input.slot(rx.icon("search", size=16)),
            placeholder=T("Search by subject or case id"),
            value=S.search, on_change=S.set_search.debounce(400),
            id="overview-search", type="search", max_length=SEARCH_MAX, size="3", width="100%",
            custom_attrs={"aria-label": T("Search by subject or case id")},
        ),
        field_error(S.errors.get("search", "").to(str)),
        spacing="1", width="100%",
    )


def _filters() -> rx.Component:
    return rx.card(
        rx.vstack(
            _search(),
            rx.grid(
                _select(N_("Status"), "overview-status", S.status, S.set_status, N_("All statuses"),
                        S.status_options, "status"),
                _select(N_("Direction"), "overview-direction", S.direction, S.set_direction,
                        N_("Incoming and outgoing"), S.direction_options, "direction"),
                _select(N_("Legislative area"), "overview-area", S.area, S.set_area, N_("All legislative areas"),
                        S.area_options, "area_id"),
                _select(N_("Counterpart country"), "overview-country", S.country, S.set_country,
                        N_("All countries"), S.country_options, "country"),
                _select(N_("Allocated handler"), "overview-handler", S.handler, S.set_handler, N_("Anyone"),
                        S.handler_options, "handler_id"),
                _date(N_("Created from"), "overview-created-from", S.created_from, S.set_created_from,
                      "created_from"),
                _date(N_("Created to"), "overview-created-to", S.created_to, S.set_created_to, "created_to"),
                _select(N_("Sort by"), "overview-sort", S.sort, S.set_sort, None, S.sort_options, "sort"),
                columns=rx.breakpoints(initial="2", md="4"), spacing="3", width="100%",
            ),
            rx.flex(
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
            spacing="3", width="100%",
        ),
        width="100%",
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
    return rx.table.row(
        _request_cell(row),
        rx.table.cell(request_status_badge(row["status"], row["status_label"]), display=WIDE),
        rx.table.cell(counterpart(row), display=WIDE),
        rx.table.cell(rx.text(row["area"], size="2"), display=WIDE),
        rx.table.cell(deadline_cell(row), display=WIDE),
        rx.table.cell(rx.text(row["updated"], size="1", color_scheme="gray", white_space="nowrap"), display=WIDE),
        on_click=rx.redirect(row["href"]), cursor="pointer", id=f"overview-row-{row['id']}",
        _hover={"background": rx.color("gray", 2)}, align="center",
    )


def _table() -> rx.Component:
    return rx.table.root(
        rx.table.header(rx.table.row(
            rx.table.column_header_cell(T("Request")),
            rx.table.column_header_cell(T("Status"), display=WIDE),
            rx.table.column_header_cell(T("Counterpart"), display=WIDE),
            rx.table.column_header_cell(T("Legislative area"), display=WIDE),
            rx.table.column_header_cell(T("Deadline"), display=WIDE),
            rx.table.column_header_cell(T("Last change"), display=WIDE),
        )),
        rx.table.body(rx.foreach(S.rows, _row)),
        variant="surface", width="100%", id="overview-table",
    )


def _empty() -> rx.Component:
    return rx.card(
        rx.hstack(rx.icon("inbox", size=18, color=rx.color("gray", 10)),
                  rx.text(rx.cond(S.filtered, T("No request matches these filters."),
                                  T("Your authority has no requests yet."))),
                  align="center", spacing="2"),
        width="100%", id="overview-empty",
    )


def _toolbar() -> rx.Component:
    return rx.flex(
        page_heading(N_("Requests"), N_("All incoming and outgoing requests of my authority.")),
        rx.spacer(),
        rx.hstack(
            rx.button(rx.icon("download", size=16), T("Export CSV"), variant="soft", size="3",
                      on_click=S.export_csv, id="overview-export"),
            rx.cond(S.can_create_request, rx.link(rx.button(rx.icon("plus", size=16), T("New request"), size="3",
                                                    id="overview-new-request"), href=routes.REQUEST_NEW)),
            spacing="2", wrap="wrap",
        ),
        direction=rx.breakpoints(initial="column", sm="row"), align=rx.breakpoints(initial="start", sm="start"),
        spacing="2", width="100%",
    )


def _content() -> rx.Component:
    return rx.vstack(
        _filters(),
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

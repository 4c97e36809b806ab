"""The directory of authorities of all countries: the search with filters, and one authority's entry."""

from __future__ import annotations

import reflex as rx

from imi_app.core import routes
from imi_app.ui.admin import access_gate, back_link, pager
from imi_app.ui.forms import PAGE_TITLE_SIZE, page_heading
from imi_app.ui.i18n import T
from imi_app.ui.layout import app_page
from imi_app.ui.tables import (
    NARROW, column, empty_card, filter_card, filter_field, filter_label, filter_select, list_table, open_column,
    opening_row, search_field, side_cell, side_text,
)
from imi_app.core.i18n import N_
from imi_app.authorities.directory import MAX_SEARCH_LENGTH
from imi_app.authorities.ui.directory_state import ALL, DirectoryEntryState as E, DirectoryState as S


def _select(label: str, element_id: str, value: rx.Var, on_change, all_label: str | None,
            options: rx.Var, error: str) -> rx.Component:
    return filter_select(label, element_id, value=value, on_change=on_change, options=options,
                         error=S.errors.get(error, "").to(str), all_label=all_label, all_value=ALL, size="3")


def _search_box() -> rx.Component:
    return search_field(N_("Search by name, in any language it is registered in"), value=S.text,
                        on_change=S.set_text.debounce(300), element_id="directory-search",
                        max_length=MAX_SEARCH_LENGTH, error=S.errors.get("text", "").to(str))


def _keyword() -> rx.Component:
    return filter_field(N_("Competence keyword"), "directory-keyword", rx.input(
        value=S.keyword, on_change=S.set_keyword.debounce(300), id="directory-keyword", type="search",
        placeholder=T("e.g. diploma"), max_length=MAX_SEARCH_LENGTH, size="3", width="100%",
    ), S.errors.get("keyword", "").to(str))


SORT_OPTIONS = [["name", N_("Name")], ["country", N_("Country, then name")]]


def _sort() -> rx.Component:
    return rx.vstack(
        filter_label(N_("Sort by"), "directory-sort"),
        rx.select.root(
            rx.select.trigger(id="directory-sort", width="100%"),
            rx.select.content(*(rx.select.item(T(text), value=value) for value, text in SORT_OPTIONS)),
            value=S.sort, on_change=S.set_sort, size="3",
        ),
        spacing="1", width="100%", min_width="0",
    )


def _filters() -> rx.Component:
    return filter_card(
        _search_box(),
        _select(N_("Country"), "directory-country", S.country, S.set_country, N_("All countries"), S.countries,
                "country"),
        _select(N_("Legislative area"), "directory-area", S.area, S.set_area, N_("All legislative areas"), S.areas,
                "area"),
        _keyword(),
        _sort(),
        columns=rx.breakpoints(initial="1", sm="2", md="4"),
    )


def _coordinator_badge() -> rx.Component:
    return rx.badge(rx.icon("network", size=12), T("Coordinator"), color_scheme="indigo", variant="surface")


def _area_badges(row) -> rx.Component:
    return rx.flex(rx.foreach(row["areas"].to(list[str]),
                              lambda name: rx.badge(name, variant="soft", color_scheme="gray")),
                   spacing="1", wrap="wrap")


def _name_cell(row) -> rx.Component:
    # On a phone the country and the areas sit under the name instead of in their own columns.
    return rx.table.row_header_cell(
        rx.vstack(
            rx.flex(rx.link(row["name"], href=row["href"], weight="medium", high_contrast=True,
                            on_click=rx.stop_propagation),
                    rx.cond(row["coordinator"], _coordinator_badge()), spacing="2", wrap="wrap", align="center"),
            rx.cond(row["other_name"] != "",
                    rx.text(T("Also:"), " ", row["other_name"], size="1", color_scheme="gray")),
            rx.text(row["country"], size="1", color_scheme="gray", display=NARROW),
            rx.box(_area_badges(row), display=NARROW),
            spacing="1",
        ),
    )


def _row(row) -> rx.Component:
    return opening_row(
        _name_cell(row),
        side_text(row["country"]),
        side_cell(_area_badges(row)),
        rx.table.cell(rx.icon("chevron-right", size=16, color=rx.color("gray", 9)), text_align="right"),
        href=row["href"], element_id=f"directory-row-{row['id']}",
    )


def _table() -> rx.Component:
    return list_table([column(N_("Authority")), column(N_("Country"), side=True),
                       column(N_("Legislative areas"), side=True), open_column()], S.rows, _row, "directory-table")


def _empty() -> rx.Component:
    return empty_card(
        "search-x",
        rx.text(rx.cond(S.filtered, T("No authority matches your search."),
                        T("There are no authorities in the directory yet.")), weight="medium"),
        "directory-empty",
        hint=rx.cond(S.filtered, rx.text(T("Check the spelling, use fewer words or remove a filter."),
                                         size="2", color_scheme="gray")),
    )


def _summary() -> rx.Component:
    return rx.hstack(
        rx.text(S.result_count, size="2", weight="medium", id="directory-count"),
        rx.spacer(),
        rx.cond(S.filtered, rx.button(rx.icon("x", size=14), T("Clear filters"), variant="ghost", size="2",
                                      color_scheme="gray", on_click=S.clear_filters, id="directory-clear")),
        align="center", width="100%",
    )


def _results() -> rx.Component:
    return rx.vstack(
        _filters(),
        _summary(),
        rx.cond(S.rows.length() > 0, _table(), _empty()),
        rx.cond(S.total > 0, pager(S.counter, S.has_previous, S.has_next, S.previous_page, S.next_page,
                                   "directory")),
        spacing="4", width="100%",
    )


def directory_page() -> rx.Component:
    return app_page(rx.vstack(
        page_heading(N_("Directory of authorities"),
                     N_("Find the competent authorities of every country by name, country, legislative area "
                        "or competence.")),
        access_gate(S.access, _results()),
        spacing="4", width="100%",
    ))


# --- one entry ----------------------------------------------------------------------------------

def _fact(label: str, value: rx.Component, element_id: str) -> rx.Component:
    return rx.vstack(rx.text(T(label), size="1", color_scheme="gray", weight="medium"),
                     rx.box(value, id=element_id), spacing="0", width="100%")


def _card(title: str, icon: str, *children: rx.Component, element_id: str) -> rx.Component:
    return rx.card(
        rx.vstack(rx.hstack(rx.icon(icon, size=18, color=rx.color("indigo", 10)), rx.heading(T(title), size="4"),
                            align="center", spacing="2"),
                  *children, spacing="3", width="100%"),
        width="100%", id=element_id,
    )


def _missing(value: rx.Var) -> rx.Component:
    return rx.cond(value != "", rx.text(value, size="2", white_space="pre-line"),
                   rx.text("—", size="2", color_scheme="gray"))


def _contact() -> rx.Component:
    entry = E.entry
    return _card(
        N_("Contact"), "mail",
        _fact(N_("E-mail"), rx.link(entry["email"].to(str), href="mailto:" + entry["email"].to(str), size="2",
                                    word_break="break-all"), "entry-email"),
        _fact(N_("Phone"), _missing(entry["phone"].to(str)), "entry-phone"),
        _fact(N_("Address"), _missing(entry["address"].to(str)), "entry-address"),
        _fact(N_("Working languages"), _missing(entry["languages"].to(str)), "entry-languages"),
        element_id="entry-contact",
    )


def _area(area) -> rx.Component:
    return rx.vstack(
        rx.text(area["name"], weight="medium", size="2"),
        rx.cond(area["keywords"].to(list[str]).length() > 0,
                rx.flex(rx.foreach(area["keywords"].to(list[str]),
                                   lambda k: rx.badge(k, variant="outline", color_scheme="gray")),
                        spacing="1", wrap="wrap"),
                rx.text(T("No keywords given."), size="1", color_scheme="gray")),
        spacing="1", width="100%", padding_bottom="8px", border_bottom=f"1px solid {rx.color('gray', 4)}",
        style={"&:last-child": {"border_bottom": "none", "padding_bottom": "0"}},
    )


def _areas() -> rx.Component:
    return _card(N_("Legislative areas and competences"), "scale",
                 rx.cond(E.entry_areas.length() > 0, rx.vstack(rx.foreach(E.entry_areas, _area), spacing="3",
                                                               width="100%"),
                         rx.text(T("No legislative area."), size="2", color_scheme="gray")),
                 element_id="entry-areas")


def _coordinator() -> rx.Component:
    entry = E.entry
    return _card(
        N_("Coordinator"), "network",
        rx.cond(
            entry["has_coordinator"].to(bool),
            rx.vstack(
                rx.link(entry["coordinator_name"].to(str), href=entry["coordinator_href"].to(str), weight="medium",
                        size="2", id="entry-coordinator-link"),
                rx.link(entry["coordinator_email"].to(str), href="mailto:" + entry["coordinator_email"].to(str),
                        size="2", word_break="break-all", id="entry-coordinator-email"),
                spacing="1",
            ),
            rx.text(rx.cond(entry["is_coordinator"].to(bool),
                            T("This authority is a national coordinator; no coordinator is above it."),
                            T("No coordinator is recorded.")), size="2", color_scheme="gray"),
        ),
        element_id="entry-coordinator",
    )


def _other_names() -> rx.Component:
    return _card(
        N_("Names in other languages"), "languages",
        rx.cond(E.other_names.length() > 0,
                rx.vstack(rx.foreach(E.other_names, lambda n: rx.hstack(
                    rx.badge(n["language"], variant="soft", color_scheme="gray", flex_shrink="0"),
                    rx.text(n["name"], size="2"), align="center", spacing="2")), spacing="2"),
                rx.text(T("None registered."), size="2", color_scheme="gray")),
        element_id="entry-other-names",
    )


def _entry() -> rx.Component:
    entry = E.entry
    return rx.vstack(
        rx.vstack(
            rx.heading(entry["name"].to(str), size=PAGE_TITLE_SIZE, id="entry-name"),
            rx.flex(rx.badge(rx.icon("map-pin", size=12), entry["country"].to(str), variant="soft", size="2"),
                    rx.cond(entry["is_coordinator"].to(bool), _coordinator_badge()), spacing="2", wrap="wrap"),
            spacing="2",
        ),
        rx.grid(_contact(), _coordinator(), _areas(), _other_names(),
                columns=rx.breakpoints(initial="1", md="2"), spacing="4", width="100%"),
        spacing="4", width="100%", id="directory-entry",
    )


def entry_page() -> rx.Component:
    return app_page(rx.vstack(
        rx.box(back_link(N_("Back to the directory"), routes.DIRECTORY), id="directory-back"),
        access_gate(E.access, _entry()),
        spacing="4", width="100%",
    ))


def add_directory_pages(app: rx.App) -> None:
    """Adds the pages of this module to the app."""
    app.add_page(directory_page, route=routes.DIRECTORY, title="IMI", on_load=S.open_directory)
    app.add_page(entry_page, route=routes.DIRECTORY_DETAIL, title="IMI", on_load=E.open_entry)

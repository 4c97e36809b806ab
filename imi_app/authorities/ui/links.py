"""Linked authorities: the LDA's list with unlink, and the search to link another authority of the country."""

from __future__ import annotations

import reflex as rx

from imi_app.ui.admin import access_gate, open_confirm_dialog, pager
from imi_app.ui.forms import page_heading
from imi_app.ui.i18n import T
from imi_app.ui.layout import app_page
from imi_app.core.i18n import N_
from imi_app.authorities.ui.links_state import LinksState as S

WIDE = ["none", "none", "table-cell"]
INLINE_WIDE = ["none", "none", "inline"]


def _section(icon: str, title: str, text: str, *children: rx.Component, element_id: str) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(rx.icon(icon, size=18, color=rx.color("indigo", 10)), rx.heading(T(title), size="4"),
                      align="center", spacing="2"),
            rx.text(T(text), size="2", color_scheme="gray"),
            *children,
            spacing="3", width="100%",
        ),
        size="3", width="100%", id=element_id,
    )


def _linked_row(row) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.text(row["name"], weight="medium")),
        rx.table.cell(rx.text(row["since"], size="2", color_scheme="gray"), display=WIDE),
        rx.table.cell(rx.button(rx.icon("unlink", size=14), rx.text(T("Unlink"), display=INLINE_WIDE), size="1",
                                variant="soft", color_scheme="red", on_click=S.ask_unlink(row["id"]), white_space="nowrap",
                                id=f"unlink-{row['id']}", aria_label=T("Unlink")),
                      text_align="right"),
        align="center", id=f"link-row-{row['id']}",
    )


def _linked() -> rx.Component:
    return _section(
        "link", N_("Linked to my authority"),
        N_("Their users see a high-level overview of your authority's exchanges: how many requests it has sent and "
           "received in each status and legislative area, and their question sets. Never subjects, personal data, "
           "messages, answers or files."),
        rx.cond(S.linked.length() > 0, rx.table.root(
            rx.table.header(rx.table.row(rx.table.column_header_cell(T("Authority")),
                                         rx.table.column_header_cell(T("Linked since"), display=WIDE),
                                         rx.table.column_header_cell(rx.box(), width="1%"))),
            rx.table.body(rx.foreach(S.linked, _linked_row)),
            variant="surface", width="100%", id="links-table",
        ), rx.callout(T("You have not linked any authority yet."), icon="info", color_scheme="gray", width="100%",
                      id="links-empty")),
        rx.cond(S.linked_total > 0, pager(S.linked_counter, S.linked_has_previous, S.linked_has_next,
                                          S.previous_linked, S.next_linked, "links")),
        element_id="linked-authorities",
    )


def _candidate_row(row) -> rx.Component:
    return rx.table.row(
        # A long German word of the name breaks rather than pushing the row's button out of sight at 320 px,
        # where the button shows its icon only (its name still says what it does, and to which authority).
        rx.table.row_header_cell(rx.text(row["name"], weight="medium", overflow_wrap="anywhere")),
        rx.table.cell(rx.cond(
            row["linked"],
            rx.badge(rx.icon("check", size=12), T("Linked"), color_scheme="green", variant="soft"),
            rx.button(rx.icon("link", size=14), rx.text(T("Link"), display=["none", "inline"]), size="1",
                      on_click=S.link(row["id"]), id=f"link-{row['id']}",
                      custom_attrs={"aria-label": T("Link") + " " + row["name"].to(str)}),
        ), text_align="right"),
        align="center", id=f"candidate-{row['id']}",
    )


def _search() -> rx.Component:
    return _section(
        "search", N_("Link an authority"),
        N_("Active authorities of your country. Type a part of the name; accents and capitals do not matter."),
        rx.input(
            rx.input.slot(rx.icon("search", size=16)),
            placeholder=T("Search by name"), value=S.search, on_change=S.set_search.debounce(300),
            id="link-search", type="search", max_length=100, size="3", width="100%",
            custom_attrs={"aria-label": T("Search by name")},
        ),
        rx.cond(S.candidates.length() > 0, rx.table.root(
            rx.table.body(rx.foreach(S.candidates, _candidate_row)),
            variant="surface", width="100%", id="link-candidates",
        ), rx.callout(T("No authority matches your search."), icon="search-x", color_scheme="gray", width="100%",
                      id="candidates-empty")),
        rx.cond(S.candidates_total > 0, pager(S.candidates_counter, S.candidates_has_previous,
                                              S.candidates_has_next, S.previous_candidates, S.next_candidates,
                                              "candidates")),
        element_id="link-an-authority",
    )


def _unlink_dialog() -> rx.Component:
    return open_confirm_dialog(
        S.unlink_open, S.set_unlink_open,
        title=N_("Unlink this authority?"),
        text=N_("Its users no longer see the overview of your authority's exchanges."),
        confirm=N_("Unlink"), on_confirm=S.confirm_unlink, confirm_id="confirm-unlink", color="red",
        extra=rx.text(S.unlink_target.get("name", "").to(str), weight="bold", size="3", margin_top="2"))


def links_page() -> rx.Component:
    return app_page(rx.vstack(
        page_heading(N_("Linked authorities"),
                     N_("Authorities of your country that follow your authority's exchanges at a high level.")),
        access_gate(S.access, rx.vstack(_linked(), _search(), _unlink_dialog(), spacing="5", width="100%")),
        spacing="4", width="100%", on_unmount=S.leave,
    ))

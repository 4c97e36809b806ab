"""The audit screen: filters, the entries newest first a page at a time, one entry in full, the CSV."""

from __future__ import annotations

import reflex as rx

from imi_app.audit_trail.ui.audit_state import ALL, AuditState as S
from imi_app.core.i18n import N_
from imi_app.ui.admin import FOCUS_BACK, access_gate
from imi_app.ui.forms import field_error, page_heading
from imi_app.ui.i18n import T
from imi_app.ui.layout import app_page
from imi_app.ui.tables import NARROW_BLOCK, WIDE, column, empty_card, filter_select

TIME_COLUMN, TIME_BELOW = ["none", "table-cell"], ["block", "none"]  # the time's own column from 520 px up


def _text_filter(label: str, name: str, value: rx.Var, max_length: int, *, type: str = "text",
                 placeholder: str = "") -> rx.Component:
    error = S.errors.get(name, "").to(str)
    element_id = f"audit-{name.replace('_', '-')}"
    return rx.vstack(
        rx.el.label(T(label), html_for=element_id, class_name="imi-label"),
        rx.input(name=name, id=element_id, type=type, default_value=value, max_length=max_length, size="2",
                 width="100%", placeholder=T(placeholder) if placeholder else "",
                 color_scheme=rx.cond(error != "", "red", "gray")),
        field_error(error),
        spacing="1", width="100%", min_width="0",
    )


def _filters() -> rx.Component:
    return rx.card(rx.form(
        rx.vstack(
            rx.grid(
                _text_filter(N_("User (username)"), "actor", S.actor_filter, 64),
                filter_select(N_("Action"), "audit-action", value=S.action_filter, on_change=S.set_action_filter,
                              options=S.actions, error=S.errors.get("action", "").to(str),
                              all_label=N_("Every action"), all_value=ALL),
                filter_select(N_("Object type"), "audit-object-type", value=S.object_type_filter,
                              on_change=S.set_object_type_filter, options=S.object_types,
                              error=S.errors.get("object_type", "").to(str), all_label=N_("Every object type"),
                              all_value=ALL),
                _text_filter(N_("Object id"), "object_id", S.object_id_filter, 40),
                _text_filter(N_("Case id"), "case_id", S.case_filter, 24),
                _text_filter(N_("From"), "first_day", S.first_day, 10, type="date"),
                _text_filter(N_("To"), "last_day", S.last_day, 10, type="date"),
                columns=rx.breakpoints(initial="1", sm="2", md="4"), spacing="3", width="100%",
            ),
            rx.flex(
                rx.button(rx.icon("download", size=16), T("Download as CSV"), type="button", variant="soft",
                          on_click=S.download_csv, id="audit-csv"),
                rx.spacer(),
                rx.button(T("Clear filters"), type="button", variant="soft", color_scheme="gray",
                          on_click=S.clear_filters, id="audit-clear"),
                rx.button(rx.icon("filter", size=16), T("Apply filters"), type="submit", id="audit-apply"),
                spacing="2", wrap="wrap", width="100%", align="center",
            ),
            spacing="3", width="100%",
        ),
        on_submit=S.apply_filters, no_validate=True, key=S.page_key,
    ), width="100%")


def _row(row) -> rx.Component:
    return rx.table.row(
        # On a phone the time goes under the action, whose long name breaks only where it must, so the row fits
        # 320 px with its button (WCAG 1.4.10).
        rx.table.cell(rx.text(row["time"], size="2", white_space="nowrap"), display=TIME_COLUMN),
        rx.table.cell(rx.vstack(
            rx.text(row["action"], size="2", weight="medium", overflow_wrap="anywhere"),
            rx.text(row["time"], size="1", color_scheme="gray", display=TIME_BELOW),
            rx.text(row["user"], size="1", color_scheme="gray", display=NARROW_BLOCK),
            rx.text(row["object"], size="1", color_scheme="gray", display=NARROW_BLOCK),
            spacing="1")),
        rx.table.cell(rx.vstack(rx.text(row["user"], size="2"),
                                rx.text(row["authority"], size="1", color_scheme="gray"), spacing="0"),
                      display=WIDE),
        rx.table.cell(rx.text(row["object"], size="2", word_break="break-all"), display=WIDE),
        rx.table.cell(rx.button(T("Details"), size="1", variant="soft", on_click=S.open_entry(row["id"]),
                                id="audit-open-" + row["id"],
                                custom_attrs={"aria-label": T("Details") + " " + row["action"] + " " + row["time"]}),
                      text_align="right"),
        id="audit-row-" + row["id"],
    )


def _list() -> rx.Component:
    return rx.cond(
        S.rows.length() > 0,
        rx.vstack(
            rx.table.root(
                rx.table.header(rx.table.row(
                    column(N_("Time (UTC)"), display=TIME_COLUMN), column(N_("Action")), column(N_("User"), side=True),
                    column(N_("Object"), side=True), rx.table.column_header_cell(rx.box(), width="1%"))),
                rx.table.body(rx.foreach(S.rows, _row)),
                variant="surface", width="100%", id="audit-entries"),
            rx.hstack(
                rx.text(S.page_text, size="2", color_scheme="gray", id="audit-page", white_space="nowrap"),
                rx.spacer(),
                rx.button(rx.icon("chevron-left", size=16), T("Newer"), variant="soft", color_scheme="gray",
                          disabled=S.page <= 1, on_click=S.previous_page, id="audit-previous"),
                rx.button(T("Older"), rx.icon("chevron-right", size=16), variant="soft", color_scheme="gray",
                          disabled=~S.has_next, on_click=S.next_page, id="audit-next"),
                align="center", width="100%", spacing="2", wrap="wrap"),
            spacing="3", width="100%"),
        empty_card("inbox", rx.text(T("No audit entry matches these filters.")), "audit-empty"),
    )


def _field(label: str, value: rx.Var, element_id: str) -> rx.Component:
    return rx.vstack(rx.text(T(label), class_name="imi-label"),
                     rx.text(value, size="2", id=element_id, word_break="break-all"), spacing="0", min_width="0")


def _data(label: str, value: rx.Var, element_id: str) -> rx.Component:
    return rx.vstack(
        rx.text(T(label), class_name="imi-label"),
        rx.cond(value != "", rx.code_block(value, language="json", id=element_id, wrap_long_lines=True,
                                           width="100%", custom_attrs={"tabIndex": 0}),
                rx.text(T("Nothing recorded"), size="2", color_scheme="gray", id=element_id)),
        spacing="1", width="100%", min_width="0",
    )


def _entry_dialog() -> rx.Component:
    e = S.entry
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(T("Audit entry") + " " + e.get("id", "").to(str)),
            rx.dialog.description(e.get("action", "").to(str), size="2"),
            rx.vstack(
                rx.grid(
                    _field(N_("Time (UTC)"), e.get("time", "").to(str), "entry-time"),
                    _field(N_("User"), e.get("user", "").to(str), "entry-user"),
                    _field(N_("Authority"), e.get("authority", "").to(str), "entry-authority"),
                    _field(N_("Object"), e.get("object", "").to(str), "entry-object"),
                    columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%"),
                _data(N_("Before"), e.get("before", "").to(str), "entry-before"),
                _data(N_("After"), e.get("after", "").to(str), "entry-after"),
                _field(N_("Hash"), e.get("hash", "").to(str), "entry-hash"),
                rx.flex(rx.dialog.close(rx.button(T("Close"), variant="soft", color_scheme="gray",
                                                  id="entry-close")), justify="end", width="100%"),
                spacing="3", width="100%", margin_top="3"),
            max_width="720px", id="audit-entry",
            **FOCUS_BACK,
        ),
        open=S.entry_open, on_open_change=S.close_entry,
    )


def audit_page() -> rx.Component:
    return app_page(rx.vstack(
        page_heading(N_("Audit log"), N_("Who did what, and when: the entries of the authorities you administer.")),
        access_gate(S.access, rx.vstack(_filters(), _list(), _entry_dialog(), spacing="4", width="100%")),
        spacing="4", width="100%", on_unmount=S.leave,
    ))

"""My authority's data and the outgoing e-mail of its users."""

from __future__ import annotations

import reflex as rx

from imi_app.ui.admin import access_gate, pager
from imi_app.ui.forms import field_error, page_heading, submit_button, text_field
from imi_app.ui.i18n import T
from imi_app.core.i18n import N_
from imi_app.ui.layout import app_page
from imi_app.ui.tables import NARROW_BLOCK as NARROW, WIDE
from imi_app.authorities.ui.own_authority_state import AuthorityState, OutboxState



def _read_only(label: str, value: rx.Var, element_id: str, note: str = "") -> rx.Component:
    return rx.vstack(
        rx.text(T(label), class_name="imi-label"),
        rx.text(value, size="3", id=element_id),
        rx.cond(note != "", rx.text(T(note) if note else "", size="1", color_scheme="gray")),
        spacing="1", width="100%",
    )


def _languages() -> rx.Component:
    return rx.vstack(
        rx.text(T("Languages the authority works in"), class_name="imi-label"),
        rx.grid(
            rx.foreach(AuthorityState.language_options, lambda item: rx.checkbox(
                item[1], name=f"lang:{item[0]}", id=f"lang-{item[0]}",
                default_checked=AuthorityState.languages.contains(item[0]))),
            columns=rx.breakpoints(initial="2", sm="3", md="4"), spacing="3", width="100%",
        ),
        field_error(AuthorityState.errors.get("languages", "").to(str)),
        spacing="2", width="100%",
    )


def _address() -> rx.Component:
    error = AuthorityState.errors.get("address", "").to(str)
    return rx.vstack(
        rx.el.label(T("Address"), html_for="address", class_name="imi-label"),
        rx.text_area(name="address", id="address", default_value=AuthorityState.address, max_length=500, rows="3",
                     size="3", width="100%", color_scheme=rx.cond(error != "", "red", "gray")),
        field_error(error),
        spacing="1", width="100%",
    )


def _authority_form() -> rx.Component:
    errors = AuthorityState.errors
    return rx.card(
        rx.form(
            rx.vstack(
                rx.grid(
                    _read_only(N_("Official name"), AuthorityState.official_name, "authority-name",
                               N_("The official name is changed by the data administrator of your IMI coordinator.")),
                    _read_only(N_("Country"), AuthorityState.country, "authority-country"),
                    columns=rx.breakpoints(initial="1", sm="2"), spacing="4", width="100%",
                ),
                rx.separator(size="4"),
                rx.grid(
                    text_field(N_("Contact e-mail address"), "contact_email", errors=errors, type="email",
                               default_value=AuthorityState.contact_email, max_length=254,
                               hint=N_("Notifications of new requests also go to this address.")),
                    text_field(N_("Phone"), "phone", errors=errors, type="tel", default_value=AuthorityState.phone,
                               max_length=40),
                    columns=rx.breakpoints(initial="1", sm="2"), spacing="4", width="100%",
                ),
                _address(),
                _languages(),
                rx.flex(submit_button(N_("Save changes"), id="authority-submit"),
                        justify="end", width="100%"),
                spacing="5", width="100%",
            ),
            on_submit=AuthorityState.save,
            key=AuthorityState.form_key,
            # The server's messages beside the fields replace the browser's own checks.
            no_validate=True,
        ),
        size="3", width="100%", max_width="860px",
    )


def authority_page() -> rx.Component:
    return app_page(rx.vstack(
        page_heading(N_("My authority's data"), N_("Contact details other authorities see in the directory.")),
        access_gate(AuthorityState.access, _authority_form()),
        spacing="4", width="100%",
    ))


def _mail_status(status: rx.Var) -> rx.Component:
    return rx.match(
        status,
        ("pending", rx.badge(T("Pending"), color_scheme="amber", variant="soft")),
        ("sent", rx.badge(T("Sent"), color_scheme="green", variant="soft")),
        ("written", rx.badge(T("Written to file"), color_scheme="blue", variant="soft")),
        ("failed", rx.badge(T("Failed"), color_scheme="red", variant="soft")),
        rx.badge(status, variant="soft"),
    )


def _mail_row(row) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(row["time"], size="2", white_space="nowrap"), display=WIDE),
        rx.table.cell(rx.vstack(
            rx.text(row["time"], size="1", color_scheme="gray", display=NARROW),
            rx.text(row["recipient"], size="2", word_break="break-all"),
            rx.text(row["subject"], size="1", color_scheme="gray", display=NARROW),
            rx.text(row["error"], size="1", color_scheme="red", display=NARROW),
            spacing="1")),
        rx.table.cell(rx.text(row["subject"], size="2"), display=WIDE),
        rx.table.cell(_mail_status(row["status"])),
        rx.table.cell(rx.text(row["attempts"], size="2"), display=WIDE, text_align="right"),
        rx.table.cell(rx.text(row["error"], size="1", color_scheme="red"), display=WIDE),
        id=f"mail-row-{row['id']}",
    )


def _outbox_content() -> rx.Component:
    return rx.vstack(
        rx.callout(T("Without an SMTP server the mails are not sent: each is written as an .eml file into the "
                     "mail folder of the data folder, where the operator can open it. The contents are not "
                     "shown here, because they may hold a temporary password."), icon="mail", width="100%"),
        rx.hstack(rx.spacer(), rx.button(rx.icon("refresh-cw", size=14), T("Refresh"), variant="soft",
                                         color_scheme="gray", on_click=OutboxState.refresh, id="outbox-refresh"),
                  width="100%"),
        rx.cond(OutboxState.mails.length() > 0, rx.table.root(
            rx.table.header(rx.table.row(
                rx.table.column_header_cell(T("Time"), display=WIDE), rx.table.column_header_cell(T("Recipient")),
                rx.table.column_header_cell(T("Subject"), display=WIDE),
                rx.table.column_header_cell(T("Status")),
                rx.table.column_header_cell(T("Attempts"), display=WIDE, text_align="right"),
                rx.table.column_header_cell(T("Last error"), display=WIDE),
            )),
            rx.table.body(rx.foreach(OutboxState.mails, _mail_row)),
            variant="surface", width="100%", id="outbox-table",
        ), rx.card(rx.text(T("No e-mail has been sent to the users of your authority yet.")), width="100%",
                   id="outbox-empty")),
        pager(OutboxState.counter, OutboxState.has_previous, OutboxState.has_next,
              OutboxState.previous_page, OutboxState.next_page, "outbox"),
        spacing="4", width="100%",
    )


def outbox_page() -> rx.Component:
    return app_page(rx.vstack(
        page_heading(N_("Outgoing e-mail"), N_("Automatic e-mails to the users of your authority, newest first.")),
        access_gate(OutboxState.access, _outbox_content()),
        spacing="4", width="100%", on_unmount=OutboxState.leave,
    ))

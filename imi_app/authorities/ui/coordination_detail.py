"""One authority I coordinate: validate or reject it, edit its names and areas, new passwords for its LDAs."""

from __future__ import annotations

import reflex as rx

from imi_app.core import routes
from imi_app.ui.admin import (
    FOCUS_BACK,
    confirm_dialog, done_heading, gated_page, open_confirm_dialog, status_badge, username_shown_once,
)
from imi_app.ui.forms import PAGE_TITLE_SIZE, field_error, submit_button, text_field
from imi_app.ui.i18n import T
from imi_app.core.i18n import N_
from imi_app.authorities.ui.coordination_fields import authority_status_badge, coordinator_badge, names_field
from imi_app.authorities.ui.coordination_detail_state import CoordinatedDetailState as S

WIDE = ["none", "none", "table-cell"]
NARROW = ["block", "block", "none"]
INLINE_WIDE = ["none", "none", "inline"]


def _heading() -> rx.Component:
    return rx.vstack(
        rx.heading(S.info["name"], size=PAGE_TITLE_SIZE, id="detail-heading"),
        rx.flex(authority_status_badge(S.status), rx.cond(S.info["kind"] == "coordinator", coordinator_badge()),
                spacing="2", wrap="wrap", id="detail-status"),
        spacing="2",
    )


def _reject_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(T("Reject the registration")),
            rx.dialog.description(T("The reason is e-mailed to the authority's contact address. Its user account "
                                    "is removed, so that it can register again after a new invitation."), size="2"),
            rx.form(
                rx.vstack(
                    rx.el.label(T("Reason"), html_for="reject-reason", class_name="imi-label"),
                    rx.text_area(name="reason", id="reject-reason", max_length=1000, rows="4", size="3", width="100%",
                                 color_scheme=rx.cond(S.reject_error != "", "red", "gray")),
                    field_error(S.reject_error),
                    rx.flex(
                        rx.dialog.close(rx.button(T("Cancel"), variant="soft", color_scheme="gray", type="button")),
                        rx.button(T("Reject registration"), color_scheme="red", type="submit", id="reject-submit"),
                        spacing="3", justify="end", width="100%", wrap="wrap",
                    ),
                    spacing="3", width="100%", margin_top="3",
                ),
                on_submit=S.reject, no_validate=True,
            ),
            max_width="520px",
            **FOCUS_BACK,
        ),
        open=S.reject_open, on_open_change=S.set_reject_open,
    )


def _validation_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(rx.icon("hourglass", size=20, color=rx.color("amber", 10)),
                      rx.heading(T("Awaiting validation"), size="4"), align="center", spacing="2"),
            rx.text(T("This authority registered itself through an invitation sent to"), " ",
                    rx.text.strong(S.info["invited"]), ". ",
                    T("Check its data below. Its users can sign in only after you validate it."), size="2"),
            rx.flex(
                confirm_dialog(
                    rx.button(rx.icon("check", size=16), T("Validate"), color_scheme="green", size="3",
                              loading=S.busy, id="validate-authority"),
                    title=N_("Validate this authority?"),
                    text=N_("The authority becomes active and its first user receives a temporary password by "
                            "e-mail. You will see the username once, to pass on by phone."),
                    confirm=N_("Validate"), on_confirm=S.validate, confirm_id="confirm-validate", color="green"),
                rx.button(rx.icon("x", size=16), T("Reject"), color_scheme="red", variant="soft", size="3",
                          on_click=S.set_reject_open(True), id="reject-authority"),
                spacing="3", wrap="wrap",
            ),
            _reject_dialog(),
            spacing="3", width="100%",
        ),
        width="100%", id="validation-card", border_left=f"4px solid {rx.color('amber', 9)}",
    )


def _validated_panel() -> rx.Component:
    return rx.card(
        rx.vstack(
            done_heading("circle-check", N_("The authority has been validated")),
            *username_shown_once(
                N_("Username of the local data administrator"), S.shown_username, "validated-username",
                "copy-validated-username", sent_to=S.shown_user, notice_icon="phone", wrap=None,
                notice=N_("Pass this username on to the local data administrator by phone. It is not sent by "
                          "e-mail. The temporary password has been e-mailed; it is valid for 72 hours and can be "
                          "used once.")),
            rx.button(T("Done"), variant="soft", on_click=S.forget_username, id="validated-done"),
            spacing="3", width="100%",
        ),
        size="3", width="100%", id="validated-panel", on_unmount=S.forget_username,
    )


def _fact(label: str, value: rx.Var, element_id: str = "") -> rx.Component:
    return rx.data_list.item(
        rx.data_list.label(T(label), min_width="140px"),
        rx.data_list.value(rx.text(rx.cond(value != "", value, "—"), size="2", word_break="break-word",
                                   **({"id": element_id} if element_id else {}))),
    )


def _data_card() -> rx.Component:
    info = S.info
    return rx.card(rx.vstack(
        rx.heading(T("Data"), size="4"),
        rx.data_list.root(
            _fact(N_("Country"), info["country"]),
            _fact(N_("Coordinated by"), info["coordinator"], "detail-coordinator"),
            _fact(N_("Contact e-mail address"), info["contact_email"], "detail-email"),
            _fact(N_("Phone"), info["phone"]),
            _fact(N_("Address"), info["address"]),
            _fact(N_("Languages"), info["languages"]),
            _fact(N_("Registered"), info["registered"]),
            _fact(N_("Validated"), info["validated"]),
            rx.cond(info["reason"] != "", _fact(N_("Reason for rejection"), info["reason"], "detail-reason")),
            orientation=rx.breakpoints(initial="vertical", sm="horizontal"), size="2",
        ),
        spacing="3", width="100%",
    ), size="3", width="100%")


def _names_card() -> rx.Component:
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading(T("Names"), size="4"),
                text_field(N_("Official name"), "official_name", errors=S.errors, default_value=S.official_name,
                           max_length=300),
                names_field(S),
                rx.flex(submit_button(N_("Save names"), id="save-names"), justify="end", width="100%"),
                spacing="4", width="100%",
            ),
            on_submit=S.save_names, key=S.form_key, no_validate=True,
        ),
        size="3", width="100%",
    )


def _area_buttons(row) -> rx.Component:
    return rx.flex(
        rx.button(rx.cond(row["granted"], T("Save keywords"), T("Grant")), type="submit", size="2",
                  variant=rx.cond(row["granted"], "soft", "solid"), id=f"save-area-{row['code']}"),
        rx.cond(row["granted"], confirm_dialog(
            rx.button(T("Revoke"), type="button", size="2", variant="soft", color_scheme="red",
                      id=f"revoke-area-{row['code']}"),
            title=N_("Revoke this legislative area?"),
            text=N_("The authority no longer works in this area, and its users lose their roles in it. An area "
                    "with open requests cannot be revoked."),
            confirm=N_("Revoke"), on_confirm=S.revoke(row["id"]), confirm_id=f"confirm-revoke-{row['code']}",
            color="red")),
        spacing="2", flex_shrink="0", wrap="wrap",
    )


def _area_row(row) -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.hstack(
                rx.icon(rx.cond(row["granted"], "circle-check", "circle-dashed"), size=18,
                        color=rx.cond(row["granted"], rx.color("green", 10), rx.color("gray", 9))),
                rx.text(row["name"], weight="medium"),
                rx.cond(row["granted"], rx.badge(T("Granted"), color_scheme="green", variant="soft"),
                        rx.badge(T("Not granted"), color_scheme="gray", variant="soft")),
                rx.cond(row["open"].to(int) > 0, rx.badge(T("Open requests"), ": ", row["open"],
                                                          color_scheme="amber", variant="soft")),
                align="center", spacing="2", wrap="wrap",
            ),
            rx.cond(
                row["can_change"],
                rx.flex(
                    rx.el.input(type="hidden", name="area_id", value=row["id"]),
                    rx.input(name="keywords", default_value=row["keywords"], max_length=1000, size="2", width="100%",
                             id=f"area-keywords-{row['code']}", placeholder=T("Keywords, separated by commas"),
                             custom_attrs={"aria-label": T("Keywords")}),
                    _area_buttons(row),
                    spacing="2", width="100%", direction=rx.breakpoints(initial="column", sm="row"),
                ),
                rx.text(rx.cond(row["keywords"] != "", row["keywords"], "—"), size="2", color_scheme="gray"),
            ),
            field_error(S.area_errors.get(row["id"].to(str), "").to(str)),
            spacing="2", width="100%", padding="12px", border=f"1px solid {rx.color('gray', 5)}",
            border_radius="8px",
        ),
        on_submit=S.save_area, no_validate=True, id=f"area-row-{row['code']}", width="100%",
    )


def _areas_card() -> rx.Component:
    return rx.card(rx.vstack(
        rx.heading(T("Legislative areas and competences"), size="4"),
        rx.text(T("You can grant and revoke the areas in which you are a data administrator."), size="2",
                color_scheme="gray"),
        rx.foreach(S.areas, _area_row),
        spacing="3", width="100%",
    ), size="3", width="100%", key=S.form_key)


def _lda_row(row) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.vstack(
            rx.text(row["name"], weight="medium", size="2"),
            rx.text(row["email"], size="1", color_scheme="gray", word_break="break-all"),
            rx.cond(S.status == "active", rx.code(row["username"], variant="ghost", size="1", display=NARROW)),
            spacing="1")),
        rx.table.cell(rx.cond(S.status == "active", rx.code(row["username"], variant="ghost", size="2")),
                      display=WIDE),
        rx.table.cell(rx.cond(S.status == "active", status_badge(row["status"]),
                              rx.badge(T("No password yet"), color_scheme="gray", variant="soft"))),
        rx.table.cell(rx.cond(S.status == "active", rx.button(
            rx.icon("key-round", size=14), rx.text(T("Create new password"), display=INLINE_WIDE), size="1",
            variant="soft", white_space="nowrap", disabled=S.busy, on_click=S.ask_new_password(row["id"]),
            id=f"lda-new-password-{row['id']}", aria_label=T("Create new password"))), text_align="right"),
        id=f"lda-row-{row['id']}", align="center",
    )


def _ldas_card() -> rx.Component:
    return rx.card(rx.vstack(
        rx.heading(T("Local data administrators"), size="4"),
        rx.text(T("When a local data administrator forgets their password or security code, or is blocked, create "
                  "a new password for them here."), size="2", color_scheme="gray"),
        rx.cond(S.ldas.length() > 0, rx.table.root(
            rx.table.header(rx.table.row(
                rx.table.column_header_cell(T("Name")), rx.table.column_header_cell(rx.cond(S.status == "active", T("Username"), ""), display=WIDE),
                rx.table.column_header_cell(T("Status")), rx.table.column_header_cell(rx.box(), width="1%"))),
            rx.table.body(rx.foreach(S.ldas, _lda_row)),
            variant="surface", width="100%", id="lda-table",
        ), rx.text(T("This authority has no local data administrator."), size="2")),
        open_confirm_dialog(
            S.confirm_open, S.set_confirm_open,
            title=N_("Create a new password?"),
            text=N_("A new temporary password (valid for 72 hours) is e-mailed to this local data administrator. "
                    "The account is unblocked, their sessions end, and they choose a new security code at the "
                    "next sign-in. The username does not change."),
            confirm=N_("Create new password"), on_confirm=S.confirm_new_password,
            confirm_id="confirm-new-password",
            extra=rx.text(S.confirm_name, weight="bold", size="3", margin_top="2")),
        spacing="3", width="100%",
    ), size="3", width="100%")


def _content() -> rx.Component:
    return rx.vstack(
        _heading(),
        rx.cond(S.shown_username != "", _validated_panel()),
        rx.cond(S.status == "pending", _validation_card()),
        rx.cond(S.status == "rejected", rx.callout(T("This registration has been rejected."), icon="ban",
                                                  color_scheme="red", width="100%", id="rejected-note")),
        rx.grid(_data_card(), _names_card(), columns=rx.breakpoints(initial="1", md="2"), spacing="4",
                width="100%", align_items="start"),
        _areas_card(),
        _ldas_card(),
        spacing="4", width="100%",
    )


def detail_page() -> rx.Component:
    return gated_page(N_("Back to the list"), routes.ADMIN_COORDINATED, S.access, _content(), on_unmount=S.leave)

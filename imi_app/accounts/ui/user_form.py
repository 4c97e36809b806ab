"""Register a user, and edit a user (details, roles, new password, disable/enable)."""

from __future__ import annotations

import reflex as rx

from imi_app.core import routes
from imi_app.ui.admin import (
    access_gate, back_link, confirm_dialog, copy_button, done_heading, lda_badge, status_badge, username_shown_once,
)
from imi_app.ui.forms import (
    PAGE_TITLE_SIZE, field_error, page_heading, person_name_fields, select_field, submit_button, text_field,
)
from imi_app.ui.i18n import T
from imi_app.core.i18n import N_
from imi_app.ui.layout import app_page
from imi_app.accounts.ui.user_form_state import UserFormState as S
from imi_app.ui.base import AppState


def _section(title: str, *children: rx.Component) -> rx.Component:
    return rx.vstack(rx.heading(T(title), size="4"), *children, spacing="3", width="100%")


def _language_select() -> rx.Component:
    return select_field(N_("Preferred language"), "language", AppState.languages, errors=S.errors,
                        hint=N_("Automatic e-mails to the user are written in this language."),
                        default_value=S.language)


def _details() -> rx.Component:
    errors = S.errors
    return _section(
        N_("Contact details"),
        # A new user's name in two parts (the username is made from the family name); a registered one's as kept.
        rx.cond(S.mode == "new", person_name_fields("", errors=errors),
                text_field(N_("Full name"), "full_name", errors=errors, default_value=S.full_name, max_length=200,
                           autocomplete="off")),
        rx.grid(
            text_field(N_("E-mail address"), "email", errors=errors, type="email", default_value=S.email,
                       max_length=254, hint=N_("Must be different for every user. The temporary password goes here.")),
            text_field(N_("Phone"), "phone", errors=errors, type="tel", default_value=S.phone, max_length=40,
                       hint=N_("Optional. Digits, spaces and + ( ) . / -")),
            columns=rx.breakpoints(initial="1", sm="2"), spacing="4", width="100%",
        ),
        _language_select(),
    )


def _role_box(row, role: str, label: str) -> rx.Component:
    return rx.checkbox(T(label), name=f"role:{row['id']}:{role}", default_checked=row[role].to(bool),
                       id=f"role-{row['code']}-{role}", size="2")


def _area_roles(row) -> rx.Component:
    # One group of boxes per area, named by it: the area's name above its roles fits a 320 px screen, where a
    # table with the German names beside the roles did not (WCAG 1.4.10).
    return rx.el.fieldset(
        rx.el.legend(rx.text(row["name"], weight="medium", size="2", class_name="imi-hyphens")),
        rx.flex(_role_box(row, "request_handler", N_("Request handler")),
                _role_box(row, "allocator", N_("Allocator")), spacing="4", wrap="wrap"),
        class_name="imi-fieldset imi-role-area",
    )


def _roles() -> rx.Component:
    return _section(
        N_("Roles per legislative area"),
        rx.text(T("Every user is a basic user in all legislative areas of the authority: they can search "
                  "authorities and see the authority's requests. Tick the further roles per area."),
                size="2", color_scheme="gray"),
        rx.vstack(rx.foreach(S.areas, _area_roles), spacing="2", width="100%", id="roles"),
        field_error(S.errors.get("roles", "").to(str)),
    )


def _lda() -> rx.Component:
    return _section(
        N_("Administration"),
        rx.checkbox(T("Local data administrator"), name="is_lda", default_checked=S.lda, id="is_lda", size="2"),
        rx.text(T("Registers and manages the users of the authority, creates new passwords and keeps the "
                  "authority's data up to date."), size="1", color_scheme="gray"),
        field_error(S.errors.get("is_lda", "").to(str)),
    )


def user_form(submit_label: str, submit_id: str) -> rx.Component:
    return rx.card(
        rx.form(
            rx.vstack(
                _details(), rx.separator(size="4"), _roles(), rx.separator(size="4"), _lda(),
                rx.flex(
                    rx.link(rx.button(T("Cancel"), variant="soft", color_scheme="gray", size="3", type="button",
                                      width="100%"), href=routes.ADMIN_USERS),
                    submit_button(submit_label, loading=S.busy, id=submit_id),
                    spacing="3", justify="end", width="100%", wrap="wrap",
                ),
                spacing="5", width="100%",
            ),
            on_submit=S.submit,
            key=S.form_key,
            # The server's messages beside the fields replace the browser's own checks.
            no_validate=True,
        ),
        size="3", width="100%",
    )


def _success_panel() -> rx.Component:
    return rx.card(
        rx.vstack(
            done_heading("circle-check", N_("The user has been registered")),
            *username_shown_once(
                N_("Username"), S.new_username, "new-username", "copy-username", sent_to=S.new_user_email,
                notice_icon="info",
                notice=N_("Give this username to the user in person or by phone. It is not sent by e-mail. "
                          "The temporary password has been e-mailed to the user; it is valid for 72 hours "
                          "and can be used once.")),
            rx.text(T("This username is shown only now. You can look it up later in the list of users."),
                    size="2", color_scheme="gray"),
            rx.flex(
                rx.button(rx.icon("user-plus", size=16), T("Register another user"), size="3",
                          on_click=S.register_another, id="register-another"),
                rx.button(T("Back to the list"), size="3", variant="soft", color_scheme="gray",
                          on_click=S.back_to_list, id="back-to-list"),
                spacing="3", wrap="wrap",
            ),
            spacing="4", width="100%",
        ),
        size="3", width="100%", max_width="720px", id="register-success", on_unmount=S.forget_new_username,
    )


def register_page() -> rx.Component:
    return app_page(
        rx.vstack(
            back_link(N_("Back to the list"), routes.ADMIN_USERS),
            page_heading(N_("Register a user"), N_("The user gets a temporary password by e-mail; "
                                            "you give them the username.")),
            access_gate(S.access, rx.cond(S.new_username != "", _success_panel(),
                                          rx.box(user_form(N_("Register user"), "register-submit"), max_width="860px",
                                                 width="100%"))),
            spacing="4", width="100%",
        )
    )


def _fact(label: str, value: rx.Component) -> rx.Component:
    return rx.data_list.item(rx.data_list.label(T(label), min_width="120px"), rx.data_list.value(value))


def _account_card() -> rx.Component:
    account = S.account
    return rx.card(
        rx.vstack(
            rx.heading(T("Account"), size="4"),
            rx.data_list.root(
                _fact(N_("Username"), rx.hstack(rx.code(account["username"].to(str), id="edit-username"),
                                            copy_button(account["username"].to(str), "copy-edit-username", "1"),
                                            align="center", spacing="2")),
                _fact(N_("Status"), rx.flex(status_badge(account["status"]), rx.cond(S.lda, lda_badge()), spacing="2",
                                        wrap="wrap", id="edit-status")),
                _fact(N_("Registered"), rx.text(account["registered"].to(str), size="2")),
                _fact(N_("Last sign-in"), rx.text(rx.cond(account["last_login"].to(str) != "",
                                                      account["last_login"].to(str), T("Never")), size="2")),
                orientation=rx.breakpoints(initial="vertical", sm="horizontal"), size="2",
            ),
            rx.cond(account["is_self"].to(bool), rx.callout(
                T("This is your own account. Change your password in My profile."), icon="info", size="1"),
                _actions()),
            spacing="4", width="100%",
        ),
        size="3", width="100%",
    )


def _actions() -> rx.Component:
    return rx.vstack(
        rx.separator(size="4"),
        rx.heading(T("Actions"), size="3"),
        confirm_dialog(
            rx.button(rx.icon("key-round", size=16), T("Create new password"), variant="soft", width="100%",
                      loading=S.busy, id="new-password-button"),
            title=N_("Create a new password?"),
            text=N_("A new temporary password (valid for 72 hours) is e-mailed to the user. The old password stops "
                 "working, a blocked account is unblocked, all of the user's sessions end, and the user chooses "
                 "a new security code at the next sign-in. The username does not change."),
            confirm=N_("Create new password"), on_confirm=S.create_password, confirm_id="confirm-new-password"),
        rx.cond(account_active(), confirm_dialog(
            rx.button(rx.icon("user-x", size=16), T("Disable user"), variant="soft", color_scheme="red",
                      width="100%", id="disable-user"),
            title=N_("Disable this user?"),
            text=N_("The user is signed out at once and cannot sign in until you enable the account again."),
            confirm=N_("Disable user"), on_confirm=S.change_active(False), confirm_id="confirm-disable-user",
            color="red"),
            confirm_dialog(
            rx.button(rx.icon("user-check", size=16), T("Enable user"), variant="soft", color_scheme="green",
                      width="100%", id="enable-user"),
            title=N_("Enable this user?"), text=N_("The user can sign in again with their password."),
            confirm=N_("Enable user"), on_confirm=S.change_active(True), confirm_id="confirm-enable-user",
            color="green")),
        spacing="3", width="100%",
    )


def account_active() -> rx.Var:
    return S.account["active"].to(bool)


def edit_page() -> rx.Component:
    return app_page(
        rx.vstack(
            back_link(N_("Back to the list"), routes.ADMIN_USERS),
            access_gate(S.access, rx.vstack(
                rx.vstack(rx.heading(S.full_name, size=PAGE_TITLE_SIZE, id="edit-heading"),
                          rx.text(T("Edit user"), color_scheme="gray", size="3"), spacing="1"),
                rx.flex(
                    rx.box(user_form(N_("Save changes"), "save-user"), flex="2", min_width="0", width="100%"),
                    rx.box(_account_card(), flex="1", min_width="0", width="100%"),
                    direction=rx.breakpoints(initial="column-reverse", md="row"), spacing="4", width="100%",
                    align="start",
                ),
                spacing="4", width="100%",
            )),
            spacing="4", width="100%",
        )
    )

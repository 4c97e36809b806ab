"""Register an authority directly, and invite an authority to register itself."""

from __future__ import annotations

import reflex as rx

from imi_app.core import routes
from imi_app.ui.admin import access_gate, back_link, done_heading, username_shown_once
from imi_app.ui.forms import field_error, page_heading, select_field, submit_button, text_field
from imi_app.ui.i18n import T
from imi_app.ui.layout import app_page
from imi_app.core.i18n import N_
from imi_app.authorities.ui.coordination_fields import (
    areas_field, contact_fields, first_user_fields, languages_field, names_field, section,
)
from imi_app.ui.base import AppState
from imi_app.authorities.ui.coordination_forms_state import InviteAuthorityState as I, RegisterAuthorityState as R


def form_buttons(submit_label: str, submit_id: str, busy: rx.Var) -> rx.Component:
    return rx.flex(
        rx.link(rx.button(T("Cancel"), variant="soft", color_scheme="gray", size="3", type="button", width="100%"),
                href=routes.ADMIN_COORDINATED),
        submit_button(submit_label, loading=busy, id=submit_id),
        spacing="3", justify="end", width="100%", wrap="wrap",
    )


def _place() -> rx.Component:
    return section(
        N_("Place in the coordination tree"),
        rx.text(T("Country"), ": ", rx.text.strong(R.country, id="register-country"), size="2"),
        select_field(N_("Coordinated by"), "parent_id", R.coordinators, errors=R.errors,
                     default_value=R.own_coordinator,
                     hint=N_("Your coordinator, or a regional or area coordinator below it.")),
        rx.checkbox(T("This authority is itself an IMI coordinator (regional or area coordinator)"),
                    name="is_coordinator", id="is_coordinator", size="2"),
        rx.text(T("Its first user becomes its data administrator in each of its legislative areas."), size="1",
                color_scheme="gray"),
        field_error(R.errors.get("is_coordinator", "").to(str)),
    )


def _register_form() -> rx.Component:
    return rx.card(
        rx.form(
            rx.vstack(
                section(N_("The authority"), contact_fields(R), languages_field(R), names_field(R)),
                rx.separator(size="4"),
                _place(),
                rx.separator(size="4"),
                section(N_("Legislative areas and competences"), areas_field(R),
                        hint=N_("Tick the areas the authority works in and describe its competences with keywords: "
                                "authorities of other countries find it by them.")),
                rx.separator(size="4"),
                section(N_("First user: local data administrator"), first_user_fields(R),
                        hint=N_("Registers the authority's other users and keeps its data up to date.")),
                form_buttons(N_("Register authority"), "register-authority-submit", R.busy),
                spacing="5", width="100%",
            ),
            on_submit=R.submit, key=R.form_key,
            # The server's messages beside the fields replace the browser's own checks.
            no_validate=True,
        ),
        size="3", width="100%", max_width="860px",
    )


def _registered_panel() -> rx.Component:
    return rx.card(
        rx.vstack(
            done_heading("circle-check", N_("The authority has been registered")),
            *username_shown_once(
                N_("Username of the local data administrator"), R.new_username, "new-lda-username",
                "copy-lda-username", sent_to=R.new_user, notice_icon="phone",
                notice=N_("Give this username to the local data administrator by phone. It is not sent by e-mail. "
                          "The temporary password has been e-mailed; it is valid for 72 hours and can be used once.")),
            rx.text(T("You can look it up later on the authority's page, under its local data administrators."),
                    size="2", color_scheme="gray"),
            rx.flex(
                rx.link(rx.button(T("Open the authority"), size="3", id="open-new-authority"),
                        href=R.new_authority_href),
                rx.button(rx.icon("building-2", size=16), T("Register another authority"), size="3", variant="soft",
                          on_click=R.register_another, id="register-another-authority"),
                spacing="3", wrap="wrap",
            ),
            spacing="4", width="100%",
        ),
        size="3", width="100%", max_width="720px", id="register-authority-success", on_unmount=R.forget_new_username,
    )


def register_page() -> rx.Component:
    return app_page(rx.vstack(
        back_link(N_("Back to the list"), routes.ADMIN_COORDINATED),
        page_heading(N_("Register an authority"),
                     N_("The authority is active at once. Its first user gets a temporary password by e-mail; "
                        "you give them the username.")),
        access_gate(R.access, rx.cond(R.new_username != "", _registered_panel(), _register_form())),
        spacing="4", width="100%",
    ))


def _invite_form() -> rx.Component:
    return rx.card(
        rx.form(
            rx.vstack(
                text_field(N_("E-mail address of the authority"), "email", errors=I.errors, type="email",
                           max_length=254, hint=N_("The invitation link goes to this address.")),
                select_field(N_("Language of the invitation"), "language", AppState.languages, errors=I.errors,
                             default_value=I.language),
                select_field(N_("Coordinated by"), "parent_id", I.coordinators, errors=I.errors,
                             default_value=I.own_coordinator,
                             hint=N_("The authority will be registered under this coordinator.")),
                rx.callout(I.validity, icon="clock", width="100%", size="1"),
                form_buttons(N_("Send invitation"), "invite-submit", I.busy),
                spacing="4", width="100%",
            ),
            on_submit=I.submit, key=I.form_key, no_validate=True,
        ),
        size="3", width="100%", max_width="640px",
    )


def _sent_panel() -> rx.Component:
    return rx.card(
        rx.vstack(
            done_heading("mail-check", N_("The invitation has been sent")),
            rx.text(T("E-mail sent to:"), " ", rx.text.strong(I.sent_to, id="invite-sent-to"), size="2"),
            rx.text(T("When the authority has registered, it appears in your list as awaiting validation."),
                    size="2", color_scheme="gray"),
            rx.flex(
                rx.button(rx.icon("send", size=16), T("Invite another authority"), size="3",
                          on_click=I.invite_another, id="invite-another"),
                rx.link(rx.button(T("Back to the list"), size="3", variant="soft", color_scheme="gray"),
                        href=routes.ADMIN_COORDINATED),
                spacing="3", wrap="wrap",
            ),
            spacing="4", width="100%",
        ),
        size="3", width="100%", max_width="640px", id="invite-sent",
    )


def invite_page() -> rx.Component:
    return app_page(rx.vstack(
        back_link(N_("Back to the list"), routes.ADMIN_COORDINATED),
        page_heading(N_("Invite an authority"),
                     N_("The authority receives an e-mail with a link to a registration form.")),
        access_gate(I.access, rx.cond(I.sent_to != "", _sent_panel(), _invite_form())),
        spacing="4", width="100%",
    ))

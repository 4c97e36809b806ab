"""The self-registration page an invitation link opens; it works without signing in."""

from __future__ import annotations

import reflex as rx

from imi_app.core import routes
from imi_app.ui.forms import auth_form, submit_button
from imi_app.ui.i18n import T
from imi_app.ui.layout import auth_page
from imi_app.core.i18n import N_
from imi_app.authorities.ui.coordination_fields import (
    areas_field, contact_fields, first_user_fields, languages_field, names_field, section,
)
from imi_app.authorities.ui.self_registration_state import CHECKING, DONE, FORM, SelfRegisterState as S


def _invited_by() -> rx.Component:
    return rx.callout(
        rx.vstack(
            rx.text(T("Invited by"), " ", rx.text.strong(S.coordinator, id="invited-by"), size="2"),
            rx.text(T("Country"), ": ", rx.text.strong(S.country), " · ", T("Invitation sent to"), " ",
                    rx.text.strong(S.email, word_break="break-all"), size="2"),
            spacing="1",
        ),
        icon="mail-open", width="100%",
    )


def _form() -> rx.Component:
    return auth_form(
        N_("Register your authority"),
        N_("Fill in your authority's data. The coordinator checks it; your first user then receives a temporary "
           "password by e-mail, and the username by phone."),
        _invited_by(),
        section(N_("The authority"), contact_fields(S, columns="1"), languages_field(S, wide=False), names_field(S)),
        rx.separator(size="4"),
        section(N_("Legislative areas and competences"), areas_field(S),
                hint=N_("Tick the areas your authority works in and describe its competences with keywords.")),
        rx.separator(size="4"),
        section(N_("First user: local data administrator"), first_user_fields(S, columns="1"),
                hint=N_("Registers your authority's other users and keeps its data up to date.")),
        submit_button(N_("Register"), loading=S.busy, width="100%", id="self-register-submit"),
        spacing="5", on_submit=S.submit, key=S.form_key, no_validate=True,
    )


def _notice(icon: str, color: str, title: rx.Component, text: rx.Component, element_id: str) -> rx.Component:
    return rx.vstack(
        rx.hstack(rx.icon(icon, size=24, color=rx.color(color, 10)), title, align="center", spacing="2"),
        text,
        rx.link(T("Go to the sign-in page"), href=routes.LOGIN, size="2"),
        spacing="3", width="100%", id=element_id,
    )


def _problem() -> rx.Component:
    title = rx.match(
        S.link,
        ("expired", rx.heading(T("The invitation has expired"), size="5")),
        ("used", rx.heading(T("The invitation has already been used"), size="5")),
        rx.heading(T("The invitation link is not valid"), size="5"),
    )
    return _notice("link-2-off", "red", title, rx.text(S.problem, size="2", id="invitation-problem"),
                   "invitation-" + S.link.to(str))


def _done() -> rx.Component:
    return _notice(
        "circle-check", "green", rx.heading(T("Thank you, your registration has been received"), size="5"),
        rx.text(rx.text.strong(S.registered), " ", T("now waits for validation by the coordinator. When it is "
                                                     "validated, your first user receives a temporary password by "
                                                     "e-mail, and the coordinator gives you the username by phone."),
                size="2"),
        "self-register-done")


def self_register_page() -> rx.Component:
    return auth_page(rx.match(
        S.link,
        (CHECKING, rx.center(rx.spinner(size="3"), padding="6")),
        (FORM, _form()),
        (DONE, _done()),
        _problem(),
    ))

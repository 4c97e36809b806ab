"""First sign-in with a temporary password: choose a password and a security code."""

from __future__ import annotations

import reflex as rx

from imi_app.core.i18n import N_

from imi_app.ui.forms import submit_button, text_field
from imi_app.ui.i18n import T
from imi_app.ui.layout import auth_page
from imi_app.accounts.ui.login_state import SetupState


def setup_page() -> rx.Component:
    errors = SetupState.errors
    return auth_page(
        rx.form(
            rx.vstack(
                rx.heading(T("Set up your account"), size="6"),
                rx.text(T("Welcome,"), " ", SetupState.user_name, ". ",
                        T("Before you start, choose your own password and a 12-character security code. "
                          "At every sign-in you will be asked for three of its characters."),
                        color_scheme="gray", size="2"),
                rx.callout.root(
                    rx.callout.icon(rx.icon("info")),
                    rx.callout.text(T("Your username is"), " ", rx.code(SetupState.username, id="setup-username")),
                    size="1"),
                text_field("New password", "password", errors=errors, type="password", autocomplete="new-password",
                           hint=N_("At least 12 characters. A few unrelated words make a strong password.")),
                text_field("New password again", "password_confirm", errors=errors, type="password",
                           autocomplete="new-password"),
                text_field("Security code", "code", errors=errors, type="password", max_length=12,
                           hint=N_("Exactly 12 characters, no spaces. Capital and small letters differ.")),
                text_field("Security code again", "code_confirm", errors=errors, type="password", max_length=12),
                submit_button("Save and continue", loading=SetupState.busy, width="100%", id="setup-submit"),
                spacing="4", width="100%",
            ),
            on_submit=SetupState.submit,
        ),
    )

"""Sign-in: username and password, then three characters of the security code."""

from __future__ import annotations

import reflex as rx

from imi_app.core import routes
from imi_app.core.i18n import N_
from imi_app.ui.forms import auth_form, field_error, submit_button
from imi_app.ui.i18n import T
from imi_app.ui.layout import auth_page
from imi_app.accounts.ui.login_state import LoginState

# Any username and password lead to the code step, so the step does not tell which usernames exist; this
# line tells whoever mistyped why nothing failed yet.
CHECKED_LATER = N_("Your username and password are checked together with your security code, on the next "
                   "step. If signing in fails there, check all of them.")


def _input(label: str, name: str, **props) -> rx.Component:
    return rx.vstack(
        rx.el.label(T(label), html_for=name, class_name="imi-label"),
        rx.input(name=name, id=name, size="3", width="100%", **props),
        spacing="1", width="100%",
    )


def password_step() -> rx.Component:
    return auth_form(
        N_("Sign in"), N_("Use the username your local data administrator gave you."),
        _input("Username", "username", auto_complete="username", auto_focus=True, max_length=64),
        _input("Password", "password", type="password", auto_complete="current-password", max_length=128),
        rx.text(T(CHECKED_LATER), size="1", color_scheme="gray", id="login-checked-later"),
        field_error(LoginState.error),
        submit_button("Continue", loading=LoginState.busy, width="100%", id="login-continue"),
        on_submit=LoginState.submit_password,
        reset_on_submit=True,
    )


def _char_box(index: int) -> rx.Component:
    position = LoginState.positions[index - 1]
    return rx.vstack(
        rx.el.label(T("Character"), " ", position, html_for=f"char{index}", class_name="imi-label",
                    id=f"char{index}-label"),
        rx.input(name=f"char{index}", id=f"char{index}", type="password", max_length=1, size="3",
                 auto_complete="off", width="64px", text_align="center", auto_focus=index == 1,
                 custom_attrs={"aria-label": f"char{index}"}),
        align="center", spacing="1",
    )


def challenge_step() -> rx.Component:
    return auth_form(
        N_("Security code"),
        N_("Enter the characters of your 12-character security code at the positions shown. "
           "Capital and small letters differ."),
        rx.hstack(_char_box(1), _char_box(2), _char_box(3), justify="center", spacing="4", width="100%"),
        _input("Authenticator app code (only if you have turned it on)", "totp", auto_complete="one-time-code",
               input_mode="numeric", max_length=6),
        submit_button("Sign in", loading=LoginState.busy, width="100%", id="login-submit"),
        rx.button(T("Start again"), variant="ghost", type="button", on_click=LoginState.start_again,
                  width="100%"),
        on_submit=LoginState.submit_challenge,
        reset_on_submit=True,
    )


def privacy_link() -> rx.Component:
    """Where the data that signing in records is explained, under both steps (IMI Regulation Art. 18)."""
    return rx.text(rx.link(T("How IMI processes your personal data"), href=routes.PRIVACY, id="login-privacy"),
                   size="2", text_align="center", margin_top="20px")


def login_page() -> rx.Component:
    return auth_page(rx.cond(LoginState.step == "challenge", challenge_step(), password_step()), privacy_link())

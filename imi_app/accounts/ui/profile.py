"""The user's own profile page: details and language, password, security code, authenticator app."""

from __future__ import annotations

import reflex as rx

from imi_app.ui.forms import field_error, page_heading, submit_button, text_field
from imi_app.ui.i18n import T
from imi_app.ui.layout import app_page
from imi_app.core.i18n import N_
from imi_app.ui.base import AppState
from imi_app.accounts.ui.profile_state import ProfileState

errors = ProfileState.errors
BUTTON_WIDTH = rx.breakpoints(initial="100%", sm="auto")


def section(icon: str, title: str, text: str, *children: rx.Component, section_id: str) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.box(rx.icon(icon, size=20), color=rx.color("indigo", 11), background=rx.color("indigo", 3),
                       padding="8px", border_radius="8px", display="flex"),
                rx.vstack(rx.heading(T(title), size="4"), rx.text(T(text), size="2", color_scheme="gray"),
                          spacing="1"),
                spacing="3", align="start",
            ),
            rx.separator(size="4"),
            *children,
            spacing="4", width="100%",
        ),
        width="100%", size="3", id=section_id,
    )


def language_field() -> rx.Component:
    return rx.vstack(
        rx.el.label(T("Preferred language"), html_for="profile-language", class_name="imi-label"),
        rx.select.root(
            rx.select.trigger(id="profile-language", width="100%"),
            rx.select.content(rx.foreach(AppState.languages, lambda item: rx.select.item(item[1], value=item[0]))),
            name="profile-language",
            default_value=ProfileState.details["language"],
            size="3",
        ),
        rx.text(T("The language of these pages and of the e-mails IMI sends you."), size="1", color_scheme="gray"),
        field_error(errors.get("profile-language", "").to(str)),
        spacing="1", width="100%",
    )


def notify_field() -> rx.Component:
    return rx.vstack(
        rx.el.label(T("E-mail notifications"), html_for="profile-notify", class_name="imi-label"),
        rx.select.root(
            rx.select.trigger(id="profile-notify", width="100%"),
            rx.select.content(
                rx.select.item(T("Each one at once"), value="immediate"),
                rx.select.item(T("One summary a day"), value="digest"),
            ),
            name="profile-notify",
            default_value=ProfileState.details["notify_mode"],
            size="3",
        ),
        rx.text(T("Mails about requests: sent as they happen, or collected into one mail each morning."),
                size="1", color_scheme="gray"),
        field_error(errors.get("profile-notify", "").to(str)),
        spacing="1", width="100%",
    )


def details_card() -> rx.Component:
    details = ProfileState.details
    return section(
        "id-card", N_("My details"), N_("How other users see you, and the language IMI uses with you."),
        rx.form(
            rx.vstack(
                text_field(N_("Username"), "profile-username", errors=errors, default_value=details["username"],
                           autocomplete="username", max_length=64,
                           hint=N_("You sign in with it. 4 to 64 characters: letters, digits, dot, hyphen "
                                   "and underscore.")),
                text_field(N_("Full name"), "profile-full-name", errors=errors, default_value=details["full_name"],
                           autocomplete="name", max_length=200),
                text_field(N_("Phone"), "profile-phone", errors=errors, default_value=details["phone"], type="tel",
                           autocomplete="tel", max_length=40, hint=N_("Optional. For example +36 1 555 0100.")),
                language_field(),
                notify_field(),
                submit_button(N_("Save details"), loading=ProfileState.busy == "details", id="profile-save",
                              width=BUTTON_WIDTH),
                spacing="4", width="100%",
            ),
            key=ProfileState.form_key,
            on_submit=ProfileState.save_details,
        ),
        section_id="profile-details",
    )


def password_card() -> rx.Component:
    return section(
        "key-round", N_("Password"), N_("The first step of every sign-in."),
        rx.form(
            rx.vstack(
                text_field(N_("Current password"), "password-current", errors=errors, type="password",
                           autocomplete="current-password"),
                text_field(N_("New password"), "password-new", errors=errors, type="password",
                           autocomplete="new-password",
                           hint=N_("12 to 128 characters, not a common password and not containing your username. "
                                   "A few unrelated words make a strong password.")),
                text_field(N_("New password again"), "password-confirm", errors=errors, type="password",
                           autocomplete="new-password"),
                submit_button(N_("Change password"), loading=ProfileState.busy == "password", id="password-save",
                              width=BUTTON_WIDTH),
                spacing="4", width="100%",
            ),
            on_submit=ProfileState.change_password,
            reset_on_submit=True,
        ),
        section_id="profile-password",
    )


def code_card() -> rx.Component:
    return section(
        "grid-3x3", N_("Security code"),
        N_("At every sign-in you are asked for three of its characters, at positions that change "
           "after each successful sign-in."),
        rx.form(
            rx.vstack(
                text_field(N_("Current password"), "code-current", errors=errors, type="password",
                           autocomplete="current-password"),
                text_field(N_("New security code"), "code-new", errors=errors, type="password", max_length=12,
                           autocomplete="off",
                           hint=N_("Exactly 12 characters, no spaces. Capital and small letters differ.")),
                text_field(N_("New security code again"), "code-confirm", errors=errors, type="password",
                           max_length=12, autocomplete="off"),
                submit_button(N_("Change security code"), loading=ProfileState.busy == "code", id="code-save",
                              width=BUTTON_WIDTH),
                spacing="4", width="100%",
            ),
            on_submit=ProfileState.change_code,
            reset_on_submit=True,
        ),
        section_id="profile-code",
    )


def totp_status(on: bool) -> rx.Component:
    if on:
        return rx.badge(rx.icon("shield-check", size=14), T("On"), color_scheme="green", size="2", id="totp-status")
    return rx.badge(rx.icon("shield-off", size=14), T("Off"), color_scheme="gray", size="2", id="totp-status")


def totp_off() -> rx.Component:
    return rx.vstack(
        rx.hstack(totp_status(False), rx.text(T("Sign-in asks for your password and security code only."),
                                               size="2"), align="center", spacing="2", wrap="wrap"),
        rx.button(rx.icon("smartphone", size=16), T("Turn on"), type="button", size="3", variant="soft",
                  on_click=ProfileState.start_totp, id="totp-enable", width=BUTTON_WIDTH),
        spacing="4", width="100%",
    )


def totp_setup() -> rx.Component:
    return rx.vstack(
        rx.text(T("1. Scan this QR code with your authenticator app."), size="2", weight="medium"),
        rx.center(
            rx.image(src=ProfileState.totp_qr, alt=T("QR code for your authenticator app"), width="184px",
                     height="184px", id="totp-qr"),
            padding="2", border=f"1px solid {rx.color('gray', 5)}", border_radius="8px", background="white",
        ),
        rx.text(T("Or type this key into the app by hand:"), size="2", color_scheme="gray"),
        rx.code(ProfileState.totp_key, id="totp-key", size="3", variant="soft", weight="medium",
                letter_spacing="0.05em"),
        rx.form(
            rx.vstack(
                text_field(N_("2. Enter the 6-digit code the app shows"), "totp-code", errors=errors,
                           autocomplete="one-time-code", max_length=6, input_mode="numeric", auto_focus=True),
                rx.flex(
                    submit_button(N_("Confirm"), loading=ProfileState.busy == "totp", id="totp-confirm",
                                  width=BUTTON_WIDTH),
                    rx.button(T("Cancel"), type="button", size="3", variant="soft", color_scheme="gray",
                              on_click=ProfileState.cancel_totp, id="totp-cancel", width=BUTTON_WIDTH),
                    direction=rx.breakpoints(initial="column", sm="row"), spacing="3", width="100%",
                ),
                spacing="4", width="100%",
            ),
            on_submit=ProfileState.confirm_totp,
            reset_on_submit=True,
            width="100%",
        ),
        spacing="3", width="100%",
    )


def totp_on() -> rx.Component:
    return rx.vstack(
        rx.hstack(totp_status(True), rx.text(T("Every sign-in also asks for a code from your app."), size="2"),
                  align="center", spacing="2", wrap="wrap"),
        rx.form(
            rx.vstack(
                text_field(N_("Current password"), "totp-current", errors=errors, type="password",
                           autocomplete="current-password", hint=N_("Needed to turn the authenticator app off.")),
                submit_button(N_("Turn off"), loading=ProfileState.busy == "totp", id="totp-disable",
                              color_scheme="red", variant="soft", width=BUTTON_WIDTH),
                spacing="4", width="100%",
            ),
            on_submit=ProfileState.disable_totp,
            reset_on_submit=True,
        ),
        spacing="4", width="100%",
    )


def totp_card() -> rx.Component:
    return section(
        "smartphone", N_("Authenticator app (TOTP)"),
        N_("Optional extra protection: a 6-digit code from an app on your phone at every sign-in."),
        rx.cond(ProfileState.totp_enabled, totp_on(),
                rx.cond(ProfileState.totp_qr != "", totp_setup(), totp_off())),
        section_id="profile-totp",
    )


def profile_page() -> rx.Component:
    return app_page(
        rx.vstack(
            page_heading(N_("My profile"), N_("Your details, your sign-in factors and your language.")),
            rx.grid(
                details_card(),
                password_card(),
                code_card(),
                totp_card(),
                columns=rx.breakpoints(initial="1", md="2"),
                spacing="4",
                width="100%",
            ),
            spacing="5",
            width="100%",
        )
    )

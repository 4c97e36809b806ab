"""The user's own profile page: details and language, password, security code, authenticator app."""

from __future__ import annotations

import reflex as rx

from imi_app.ui.forms import page_heading, select_field, submit_button, text_field
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
    return select_field(N_("Preferred language"), "profile-language", AppState.languages, errors=errors,
                        hint=N_("The language of these pages and of the e-mails IMI sends you."),
                        default_value=ProfileState.details["language"])


def notify_field() -> rx.Component:
    return select_field(N_("E-mail notifications"), "profile-notify",
                        [rx.select.item(T("Each one at once"), value="immediate"),
                         rx.select.item(T("One summary a day"), value="digest")],
                        errors=errors, default_value=ProfileState.details["notify_mode"],
                        hint=N_("Mails about requests: sent as they happen, or collected into one mail each "
                                "morning."))


def time_zone_field() -> rx.Component:
    return select_field(N_("Time zone"), "profile-time-zone", ProfileState.zone_options, errors=errors,
                        hint=N_("Times on these pages are shown in this zone."),
                        default_value=ProfileState.details["time_zone"])


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
                time_zone_field(),
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


def secret_form(secret: str, new_label: str, again_label: str, hint: str, save_label: str, on_submit,
                **secret_props) -> rx.Component:
    """A new password or security code, typed twice, under the current password; `secret` names its fields
    ("<secret>-current", "-new", "-confirm"), its button ("<secret>-save") and what ProfileState.busy says."""
    return rx.form(
        rx.vstack(
            text_field(N_("Current password"), f"{secret}-current", errors=errors, type="password",
                       autocomplete="current-password"),
            text_field(new_label, f"{secret}-new", errors=errors, type="password", hint=hint, **secret_props),
            text_field(again_label, f"{secret}-confirm", errors=errors, type="password", **secret_props),
            submit_button(save_label, loading=ProfileState.busy == secret, id=f"{secret}-save", width=BUTTON_WIDTH),
            spacing="4", width="100%",
        ),
        on_submit=on_submit,
        reset_on_submit=True,
    )


def password_card() -> rx.Component:
    return section(
        "key-round", N_("Password"), N_("The first step of every sign-in."),
        secret_form("password", N_("New password"), N_("New password again"),
                    N_("12 to 128 characters, not a common password and not containing your username. "
                       "A few unrelated words make a strong password."),
                    N_("Change password"), ProfileState.change_password, autocomplete="new-password"),
        section_id="profile-password",
    )


def code_card() -> rx.Component:
    return section(
        "grid-3x3", N_("Security code"),
        N_("At every sign-in you are asked for three of its characters, at positions that change "
           "after each successful sign-in."),
        secret_form("code", N_("New security code"), N_("New security code again"),
                    N_("Exactly 12 characters, no spaces. Capital and small letters differ."),
                    N_("Change security code"), ProfileState.change_code, max_length=12, autocomplete="off"),
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

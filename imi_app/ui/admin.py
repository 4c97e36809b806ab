"""Pieces the administration pages share: access gate, status badges, pager, confirmation dialog, the username
shown once."""

from __future__ import annotations

import reflex as rx
from reflex_base.vars.function import FunctionStringVar

from imi_app.core import routes
from imi_app.ui.i18n import T
from imi_app.core.i18n import N_
from imi_app.ui.common import LOADING, NO_ACCESS, NOT_FOUND
from imi_app.ui.layout import app_page


def _notice(icon: str, message: str, element_id: str) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(rx.icon(icon, size=20, color=rx.color("gray", 11)),
                      rx.text(T(message), size="3", weight="medium"), align="center", spacing="3"),
            rx.link(rx.hstack(rx.icon("arrow-left", size=14), T("Back to the task list"), align="center",
                              spacing="1"), href=routes.HOME, size="2"),
            spacing="3",
        ),
        id=element_id, width="100%", max_width="560px",
    )


def access_gate(access: rx.Var, content: rx.Component) -> rx.Component:
    """The page's content only when the loader said so; otherwise a notice and nothing else."""
    return rx.match(
        access,
        (LOADING, rx.center(rx.spinner(size="3"), padding="8", width="100%")),
        (NO_ACCESS, _notice("lock", N_("You do not have access to this page."), "no-access")),
        (NOT_FOUND, _notice("search-x", N_("Not found, or you do not have access to it."), "not-found")),
        content,
    )


def status_badge(status: rx.Var) -> rx.Component:
    return rx.match(
        status,
        ("active", rx.badge(T("Active"), color_scheme="green", variant="soft")),
        ("disabled", rx.badge(T("Disabled"), color_scheme="gray", variant="soft")),
        ("blocked", rx.badge(rx.icon("lock", size=12), T("Blocked"), color_scheme="red", variant="soft")),
        ("setup", rx.badge(T("Awaiting first sign-in"), color_scheme="amber", variant="soft")),
        rx.badge(status, variant="soft"),
    )


def lda_badge() -> rx.Component:
    return rx.badge(rx.icon("shield", size=12), T("Local data administrator"), color_scheme="indigo",
                    variant="surface", title=T("Local data administrator"))


def pager(counter: rx.Var, has_previous: rx.Var, has_next: rx.Var, on_previous, on_next,
          prefix: str) -> rx.Component:
    return rx.hstack(
        rx.text(counter, size="2", color_scheme="gray", id=f"{prefix}-counter"),
        rx.spacer(),
        rx.button(rx.icon("chevron-left", size=16), T("Previous"), variant="soft", color_scheme="gray",
                  disabled=~has_previous, on_click=on_previous, id=f"{prefix}-previous"),
        rx.button(T("Next"), rx.icon("chevron-right", size=16), variant="soft", color_scheme="gray",
                  disabled=~has_next, on_click=on_next, id=f"{prefix}-next"),
        align="center", width="100%", spacing="2", wrap="wrap",
    )


# Radix gives the focus back to a dialog's trigger when it closes; a dialog the state opens has none, and the
# focus fell to the page's start. These give it back to whatever had it when the dialog opened (the step's button).
FOCUS_BACK = {
    "on_open_auto_focus": FunctionStringVar.create("() => { window.imiFocusBack = document.activeElement; }"),
    "on_close_auto_focus": FunctionStringVar.create(
        "() => { const el = window.imiFocusBack; window.imiFocusBack = null; if (el && el.isConnected) el.focus(); }"),
}


def confirm_dialog(trigger: rx.Component, *, title: str, text: str, confirm: str, on_confirm,
                   confirm_id: str, color: str = "indigo") -> rx.Component:
    """An action that runs only after the user confirms it in a dialog."""
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(trigger),
        confirm_dialog_content(title=title, text=text, confirm=confirm, on_confirm=on_confirm,
                               confirm_id=confirm_id, color=color),
    )


def open_confirm_dialog(open: rx.Var, on_open_change, **content) -> rx.Component:
    """A confirmation the state opens (for the row the user chose); `content`: confirm_dialog_content's."""
    return rx.alert_dialog.root(confirm_dialog_content(**content), open=open, on_open_change=on_open_change)


def confirm_dialog_content(*, title: str, text: str, confirm: str, on_confirm, confirm_id: str,
                           color: str = "indigo", extra: rx.Component | None = None) -> rx.Component:
    return rx.alert_dialog.content(
        rx.alert_dialog.title(T(title)),
        rx.alert_dialog.description(T(text), size="2"),
        extra if extra is not None else rx.fragment(),
        rx.flex(
            rx.alert_dialog.cancel(rx.button(T("Cancel"), variant="soft", color_scheme="gray",
                                             id=f"{confirm_id}-cancel")),
            rx.alert_dialog.action(rx.button(T(confirm), color_scheme=color, on_click=on_confirm, id=confirm_id)),
            spacing="3", justify="end", margin_top="4", wrap="wrap",
        ),
        max_width="480px",
        **FOCUS_BACK,
    )


def back_link(label: str, href: str) -> rx.Component:
    return rx.link(rx.hstack(rx.icon("arrow-left", size=14), T(label), align="center", spacing="1"),
                   href=href, size="2", color_scheme="gray")


def gated_page(back_label: str, back_href: str, access: rx.Var, content: rx.Component, **props) -> rx.Component:
    """A page under the menu: the way back, then its content once the loader let the user in."""
    return app_page(rx.vstack(
        back_link(back_label, back_href),
        access_gate(access, content),
        spacing="4", width="100%", **props,
    ))


def copy_button(value: rx.Var, element_id: str, size: str = "2") -> rx.Component:
    return rx.icon_button(rx.icon("copy", size=16 if size == "2" else 12), variant="soft", size=size, id=element_id,
                          title=T("Copy"), aria_label=T("Copy"),
                          on_click=[rx.set_clipboard(value), rx.toast.info(T("Copied."))])


def done_heading(icon: str, title: str) -> rx.Component:
    return rx.hstack(rx.icon(icon, size=24, color=rx.color("green", 10)), rx.heading(T(title), size="5"),
                     align="center", spacing="2")


def username_shown_once(label: str, username: rx.Var, username_id: str, copy_id: str, *, notice: str,
                        notice_icon: str, sent_to: rx.Var, wrap: str | None = "wrap") -> tuple[rx.Component, ...]:
    """A new account's username, to pass on in person or by phone (it is never e-mailed), and where the
    temporary password went; the rows of the panel that shows it."""
    return (
        rx.text(T(label), size="2", color_scheme="gray"),
        rx.hstack(rx.code(username, id=username_id, size="7", variant="soft", weight="bold", word_break="break-all"),
                  copy_button(username, copy_id), align="center", spacing="3", wrap=wrap),
        rx.callout(T(notice), icon=notice_icon, width="100%"),
        rx.text(T("E-mail sent to:"), " ", rx.text.strong(sent_to), size="2", color_scheme="gray"),
    )

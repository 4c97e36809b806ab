"""Page frames: the signed-in shell (header, navigation) and the centred sign-in card."""

from __future__ import annotations

import reflex as rx
from reflex.vars.base import Var, VarData
from reflex_base.utils.imports import ImportVar

from imi_app.core import routes
from imi_app.ui.i18n import T
from imi_app.ui.base import AppState


def language_select() -> rx.Component:
    return rx.select.root(
        rx.select.trigger(aria_label=T("Language"), variant="ghost"),
        rx.select.content(
            rx.foreach(AppState.languages, lambda item: rx.select.item(item[1], value=item[0])),
        ),
        value=AppState.lang,
        on_change=AppState.set_language,
        size="2",
    )


def brand() -> rx.Component:
    return rx.hstack(
        rx.box(rx.icon("landmark", size=20, color="white"), background=rx.color("indigo", 9),
               border_radius="8px", padding="6px", display="flex"),
        rx.vstack(
            rx.text("IMI", weight="bold", size="4", line_height="1"),
            rx.text(T("Internal Market Information"), size="1", color_scheme="gray", line_height="1",
                    display=["none", "block"]),
            spacing="1",
        ),
        align="center",
        spacing="2",
    )


def nav_link(label: str, href: str, icon: str) -> rx.Component:
    return rx.link(
        rx.hstack(rx.icon(icon, size=16), rx.text(T(label), size="2", weight="medium", white_space="nowrap"),
                  align="center", spacing="2"),
        href=href,
        underline="none",
        color_scheme="gray",
        high_contrast=True,
        padding_x="10px",
        padding_y="6px",
        border_radius="6px",
        _hover={"background": rx.color("gray", 3)},
    )


def admin_menu() -> rx.Component:
    return rx.menu.root(
        rx.menu.trigger(rx.button(rx.icon("settings", size=16), T("Administration"),
                                  rx.icon("chevron-down", size=14), variant="ghost", color_scheme="gray",
                                  high_contrast=True, id="admin-menu", white_space="nowrap",
                                  margin="0", size="2", style={"font-weight": "500"})),
        rx.menu.content(
            rx.cond(AppState.is_lda, rx.fragment(
                rx.menu.item(T("Manage users of my authority"), on_click=rx.redirect(routes.ADMIN_USERS)),
                rx.menu.item(T("My authority's data"), on_click=rx.redirect(routes.ADMIN_AUTHORITY)),
                rx.menu.item(T("Outgoing e-mail"), on_click=rx.redirect(routes.ADMIN_OUTBOX)),
                rx.menu.item(T("Data subject requests"), on_click=rx.redirect(routes.ADMIN_DATA_SUBJECT),
                             id="menu-data-subject"),
            )),
            rx.cond(AppState.is_lda,
                    rx.menu.item(T("Linked authorities"), on_click=rx.redirect(routes.ADMIN_LINKS))),
            rx.cond(AppState.is_data_admin, rx.fragment(
                rx.menu.separator(),
                rx.menu.item(T("Authorities I coordinate"), on_click=rx.redirect(routes.ADMIN_COORDINATED)),
                rx.menu.item(T("Coordinator settings"), on_click=rx.redirect(routes.ADMIN_COORDINATOR_SETTINGS)),
            )),
            rx.menu.separator(),
            rx.menu.item(T("Audit log"), on_click=rx.redirect(routes.ADMIN_AUDIT), id="menu-audit"),
        ),
    )


def user_menu() -> rx.Component:
    return rx.menu.root(
        rx.menu.trigger(rx.button(
            rx.avatar(fallback=AppState.user_name.to(str)[:1], size="1", radius="full"),
            rx.vstack(rx.text(AppState.user_name, size="2", weight="medium", white_space="nowrap"),
                      rx.text(AppState.authority_name, size="1", color_scheme="gray", white_space="nowrap",
                              overflow="hidden", text_overflow="ellipsis", max_width="220px"),
                      spacing="0", align="start", display=["none", "none", "none", "flex"]),
            variant="ghost", color_scheme="gray", high_contrast=True, id="user-menu", height="auto",
            padding_y="4px")),
        rx.menu.content(
            rx.menu.item(rx.icon("user", size=14), T("My profile"), on_click=rx.redirect(routes.PROFILE)),
            rx.menu.separator(),
            rx.menu.item(rx.icon("log-out", size=14), T("Sign out"), on_click=AppState.sign_out, id="sign-out",
                         color_scheme="red"),
        ),
    )


class DocumentLanguage(rx.Fragment):
    """Keeps `<html lang>` the page's language (screen readers pick their voice by it), also when the
    user switches."""

    def add_hooks(self) -> list[str | Var]:
        lang = AppState.lang
        effect = f"useEffect(() => {{ document.documentElement.lang = {lang._js_expr} || 'en'; }}, [{lang._js_expr}])"
        return [Var(_js_expr=effect, _var_data=VarData.merge(
            lang._get_all_var_data(), VarData(imports={"react": [ImportVar(tag="useEffect")]})))]


def skip_link() -> rx.Component:
    """The first stop of the keyboard on every page: straight to the page's own content."""
    # The browser follows "#main" without moving the keyboard focus there: the click moves it.
    return rx.el.a(T("Skip to the main content"), href="#main", class_name="imi-skip-link",
                   on_click=rx.call_script("document.getElementById('main').focus()"))


def main_landmark(*children: rx.Component, **props) -> rx.Component:
    # tabIndex -1: the skip link's target takes the focus, so the next Tab goes on from the content.
    return rx.el.main(*children, id="main", tab_index=-1, class_name="imi-main", **props)


def header() -> rx.Component:
    return rx.el.header(
        rx.hstack(
            rx.link(brand(), href=routes.HOME, underline="none", color="inherit"),
            # The menu shows once the session is confirmed, in the user's language (no English first).
            rx.cond(AppState.signed_in, main_menu("imi-nav imi-nav-wide")),
            rx.spacer(),
            rx.cond(AppState.signed_in, user_menu()),
            align="center",
            spacing="5",
            max_width="1200px",
            width="100%",
            margin_x="auto",
            padding_x=["12px", "24px"],
            padding_y="12px",
        ),
        class_name="imi-header imi-no-print",
    )


def main_menu(class_name: str) -> rx.Component:
    """The menu of the signed-in user: in the header on wide screens, below it on narrow ones."""
    return rx.el.nav(
        nav_link("Task list", routes.HOME, "list-checks"),
        nav_link("Requests", routes.REQUESTS_OVERVIEW, "folder-open"),
        nav_link("Directory", routes.DIRECTORY, "book-open"),
        nav_link("Linked overview", routes.LINKED_OVERVIEW, "link"),
        rx.cond(AppState.sees_scoreboard, nav_link("Dashboard", routes.DASHBOARD, "gauge")),
        rx.cond(AppState.is_lda | AppState.is_data_admin, admin_menu()),
        aria_label=T("Main menu"),
        class_name=class_name,
    )


def mobile_nav() -> rx.Component:
    return rx.cond(AppState.signed_in, main_menu("imi-nav imi-nav-narrow imi-no-print"))


def footer() -> rx.Component:
    return rx.el.footer(
        rx.link(T("Accessibility statement"), href=routes.ACCESSIBILITY, size="1", color_scheme="gray",
                high_contrast=True, id="footer-accessibility"),
        rx.link(T("Privacy notice"), href=routes.PRIVACY, size="1", color_scheme="gray", high_contrast=True,
                id="footer-privacy"),
        class_name="imi-footer imi-no-print",
    )


def app_page(*children: rx.Component) -> rx.Component:
    """The frame of every signed-in page."""
    return rx.box(
        DocumentLanguage.create(),
        skip_link(),
        header(),
        mobile_nav(),
        # Nothing of a signed-in page shows until the server has confirmed the session.
        main_landmark(rx.cond(
            AppState.signed_in,
            rx.box(*children, max_width="1200px", margin_x="auto", padding_x=["16px", "24px"],
                   padding_y="24px"),
            rx.center(rx.spinner(size="3"), padding_y="64px"),
        )),
        footer(),
        rx.moment(interval=60_000, on_change=AppState.check_still_signed_in, display="none"),
        min_height="100vh",
        background=rx.color("gray", 2),
    )


def _outside_page(top: rx.Component, card: rx.Component, *below: rx.Component, max_width: str,
                  background: str) -> rx.Component:
    """A centred card outside the signed-in shell, with the language switcher above it and the footer below."""
    return rx.fragment(DocumentLanguage.create(), main_landmark(rx.center(
        # Shown once the page has loaded in the visitor's language: no English flashes first.
        rx.cond(rx.State.is_hydrated, rx.vstack(
            rx.hstack(top, rx.spacer(), language_select(), width="100%", align="center"),
            card, *below, footer(),
            width="100%",
            max_width=max_width,
            spacing="4",
        ), rx.spinner(size="3")),
        min_height="100vh",
        padding="16px",
        background=background,
    )))


def auth_page(*children: rx.Component) -> rx.Component:
    """The centred card used by sign-in and first-login set-up."""
    return _outside_page(
        brand(), rx.card(*children, width="100%", size="4"),
        rx.text(T("For authorised staff of competent authorities only. Every action is logged."),
                size="1", color_scheme="gray", text_align="center"),
        max_width="440px",
        background=f"linear-gradient(160deg, {rx.color('indigo', 2)} 0%, {rx.color('gray', 2)} 60%)",
    )


def info_page(*children: rx.Component) -> rx.Component:
    """A page for everyone, signed in or not (the accessibility statement, the privacy notice): the brand, the
    language, the text."""
    return _outside_page(rx.link(brand(), href=routes.HOME, underline="none", color="inherit"),
                         rx.card(*children, width="100%", size="4"), max_width="760px",
                         background=rx.color("gray", 2))

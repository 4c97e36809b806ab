"""Home: the task list's place; for now the user's authority and roles per legislative area."""

from __future__ import annotations

import reflex as rx

from imi_app import routes
from imi_app.components.i18n import T
from imi_app.components.layout import app_page
from imi_app.i18n import N_
from imi_app.states.home import HomeState


def roles_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(rx.icon("shield-check", size=18), rx.heading(T("My roles"), size="4"), align="center"),
            rx.table.root(
                rx.table.header(rx.table.row(
                    rx.table.column_header_cell(T("Legislative area")),
                    rx.table.column_header_cell(T("Roles")),
                )),
                rx.table.body(rx.foreach(HomeState.area_roles, lambda row: rx.table.row(
                    rx.table.cell(row["area"]), rx.table.cell(row["roles"])))),
                width="100%",
                variant="surface",
            ),
            rx.hstack(
                rx.cond(HomeState.is_lda, rx.badge(rx.icon("key-round", size=12), T("Local data administrator"),
                                                   color_scheme="indigo", size="2")),
                rx.cond(HomeState.is_data_admin, rx.badge(rx.icon("network", size=12), T("Data administrator"),
                                                          color_scheme="violet", size="2")),
                spacing="2", wrap="wrap",
            ),
            spacing="3", width="100%",
        ),
        width="100%",
    )


def shortcut(icon: str, title: str, text: str, href: str) -> rx.Component:
    return rx.link(
        rx.card(rx.hstack(
            rx.box(rx.icon(icon, size=20), color=rx.color("indigo", 11), background=rx.color("indigo", 3),
                   padding="8px", border_radius="8px", display="flex"),
            rx.vstack(rx.text(T(title), weight="bold"), rx.text(T(text), size="2", color_scheme="gray"), spacing="1"),
            spacing="3", align="start"), width="100%", _hover={"border_color": rx.color("indigo", 7)}),
        href=href, underline="none", color="inherit", width="100%",
    )


def home_page() -> rx.Component:
    return app_page(
        rx.vstack(
            rx.vstack(
                rx.heading(T("Welcome,"), " ", HomeState.user_name, size="7", id="welcome"),
                rx.text(HomeState.authority_name, color_scheme="gray", size="3"),
                spacing="1",
            ),
            rx.callout(T("Your task list shows the information requests that need your action. "
                         "There is nothing to do right now."), icon="inbox", width="100%"),
            rx.grid(
                roles_card(),
                rx.vstack(
                    shortcut("user", N_("My profile"), N_("Password, security code, language, authenticator app"),
                             routes.PROFILE),
                    rx.cond(HomeState.is_lda, shortcut("users", N_("Manage users of my authority"),
                                                       N_("Register users, set roles, create new passwords"),
                                                       routes.ADMIN_USERS)),
                    rx.cond(HomeState.is_data_admin, shortcut("network", N_("Authorities I coordinate"),
                                                              N_("Register, invite and validate authorities; their areas and data"),
                                                              routes.ADMIN_COORDINATED)),
                    spacing="3", width="100%",
                ),
                columns=rx.breakpoints(initial="1", md="2"),
                spacing="4",
                width="100%",
            ),
            spacing="5",
            width="100%",
        )
    )

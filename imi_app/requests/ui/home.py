"""Home: the task list (what needs my action now, by kind and deadline), with my roles beside it."""

from __future__ import annotations

import reflex as rx

from imi_app.core import routes
from imi_app.ui.i18n import T
from imi_app.ui.admin import pager
from imi_app.ui.layout import app_page
from imi_app.core.i18n import N_
from imi_app.requests.ui.overview import case_id, counterpart, deadline_cell, due_badge
from imi_app.ui.tables import NARROW, column, empty_card, list_table, opening_row, side_cell, side_text
from imi_app.requests.ui.home_state import HomeState as H
from imi_app.scoreboard.ui.pages import own_figures_card

KIND_ICONS = (
    ("accept_incoming", "inbox"), ("review_answer", "message-square-text"), ("approve_request", "stamp"),
    ("approve_answer", "file-check"), ("give_opinion", "scale"), ("reply_due", "alarm-clock"),
)
KIND_COLORS = (
    ("accept_incoming", "blue"), ("review_answer", "green"), ("approve_request", "amber"),
    ("approve_answer", "amber"), ("give_opinion", "purple"), ("reply_due", "orange"),
)


def _kind_icon(kind: rx.Var, size: int = 18) -> rx.Component:
    return rx.match(kind, *((k, rx.icon(name, size=size)) for k, name in KIND_ICONS), rx.icon("circle", size=size))


def _kind_color(kind: rx.Var) -> rx.Var:
    return rx.match(kind, *KIND_COLORS, "gray")


# --- the side card: who I am, my roles, shortcuts --------------------------------------------------

def roles_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(rx.icon("shield-check", size=16), rx.text(T("My roles"), weight="bold", size="3"),
                      align="center", spacing="2"),
            rx.foreach(H.area_roles, lambda row: rx.vstack(
                rx.text(row["area"], size="2", weight="medium"),
                rx.text(row["roles"], size="1", color_scheme="gray"),
                spacing="0", width="100%")),
            rx.flex(
                rx.cond(H.is_lda, rx.badge(rx.icon("key-round", size=12), T("Local data administrator"),
                                           color_scheme="indigo")),
                rx.cond(H.is_data_admin, rx.badge(rx.icon("network", size=12), T("Data administrator"),
                                                  color_scheme="violet")),
                spacing="2", wrap="wrap",
            ),
            spacing="3", width="100%",
        ),
        width="100%", id="my-roles",
    )


def shortcut(icon: str, title: str, text: str, href: str) -> rx.Component:
    return rx.link(
        rx.card(rx.hstack(
            rx.box(rx.icon(icon, size=16), color=rx.color("indigo", 11), background=rx.color("indigo", 3),
                   padding="6px", border_radius="8px", display="flex"),
            rx.vstack(rx.text(T(title), weight="bold", size="2"), rx.text(T(text), size="1", color_scheme="gray"),
                      spacing="0"),
            spacing="3", align="start"), width="100%", size="1", _hover={"border_color": rx.color("indigo", 7)}),
        href=href, underline="none", color="inherit", width="100%",
    )


def side() -> rx.Component:
    return rx.vstack(
        roles_card(),
        own_figures_card(),
        shortcut("folder-open", N_("All requests"), N_("Incoming and outgoing requests of my authority"),
                 routes.REQUESTS_OVERVIEW),
        shortcut("user", N_("My profile"), N_("Password, security code, language, authenticator app"),
                 routes.PROFILE),
        rx.cond(H.is_lda, shortcut("users", N_("Manage users of my authority"),
                                   N_("Register users, set roles, create new passwords"), routes.ADMIN_USERS)),
        rx.cond(H.is_data_admin, shortcut("network", N_("Authorities I coordinate"),
                                          N_("Register, invite and validate authorities; their areas and data"),
                                          routes.ADMIN_COORDINATED)),
        spacing="3", width="100%",
    )


# --- the task list ---------------------------------------------------------------------------------

def _count_card(item) -> rx.Component:
    selected = H.kind_filter == item["kind"]
    return rx.card(
        rx.el.button(
            rx.vstack(
                rx.hstack(
                    rx.text(_kind_icon(item["kind"]), color_scheme=_kind_color(item["kind"]), display="flex"),
                    rx.text(item["count"], size="6", weight="bold", class_name="imi-count"),
                    align="center", justify="between", width="100%",
                ),
                rx.text(item["label"], size="2", color_scheme="gray", text_align="left"),
                spacing="1", width="100%",
            ),
            type="button", on_click=H.filter_kind(item["kind"]), id=f"count-{item['kind']}",
            custom_attrs={"aria-pressed": rx.cond(selected, "true", "false")},
            cursor="pointer", width="100%", text_align="left", font="inherit", color="inherit",
        ),
        as_child=True,
        outline=rx.cond(selected, f"2px solid {rx.color('indigo', 8)}", "none"),
        background=rx.cond(selected, rx.color("indigo", 3), rx.color("gray", 1)),
        _hover={"background": rx.color("indigo", 2)},
    )


def _task_cell(row) -> rx.Component:
    # On a phone the counterpart, area and deadline sit under the subject instead of in columns.
    return rx.table.row_header_cell(
        rx.vstack(
            rx.flex(
                rx.badge(_kind_icon(row["kind"], 12), row["action"], color_scheme=_kind_color(row["kind"]),
                         variant="soft"),
                case_id(row), spacing="2", wrap="wrap", align="center",
            ),
            rx.link(row["subject"], href=row["href"], weight="medium", high_contrast=True,
                    on_click=rx.stop_propagation, class_name="imi-request-link"),
            rx.text(row["counterpart"], " · ", row["country"], size="1", color_scheme="gray", display=NARROW),
            rx.flex(rx.text(row["area"], size="1", color_scheme="gray"),
                    rx.cond(row["deadline"] != "", rx.text("· ", row["deadline"], size="1", color_scheme="gray")),
                    due_badge(row), spacing="2", wrap="wrap", align="center", display=NARROW),
            spacing="1", align="start", min_width="0",
        ),
    )


def _task_row(row) -> rx.Component:
    return opening_row(
        _task_cell(row),
        side_cell(counterpart(row)),
        side_text(row["area"]),
        side_cell(deadline_cell(row)),
        href=row["href"], element_id=f"task-{row['key']}",
        class_name=rx.cond(row["overdue"], "imi-task imi-task-overdue", "imi-task"),
    )


def _task_table() -> rx.Component:
    return list_table([column(N_("Request")), column(N_("Counterpart"), side=True),
                       column(N_("Legislative area"), side=True), column(N_("Deadline"), side=True)],
                      H.shown_tasks, _task_row, "tasks-table")


def _empty() -> rx.Component:
    return empty_card(
        "circle-check", rx.text(T("Nothing to do right now."), weight="bold"), "tasks-empty",
        hint=rx.text(T("Requests that need your action will show here."), size="2", color_scheme="gray"),
        icon_color="green", icon_size=22,
    )


def _heading() -> rx.Component:
    return rx.flex(
        rx.vstack(
            rx.heading(T("Welcome,"), " ", H.user_name, size="6", id="welcome"),
            rx.text(H.authority_name, color_scheme="gray", size="2"),
            spacing="1",
        ),
        rx.spacer(),
        rx.hstack(
            rx.icon_button(rx.icon("refresh-cw", size=16), variant="soft", color_scheme="gray", size="3",
                           on_click=H.reload_tasks, id="tasks-refresh", aria_label=T("Refresh"),
                           title=T("Refresh")),
            rx.cond(H.can_create_request, rx.link(
                rx.button(rx.icon("plus", size=16), T("New request"), size="3", id="new-request"),
                href=routes.REQUEST_NEW)),
            spacing="2", align="center",
        ),
        direction=rx.breakpoints(initial="column", sm="row"), spacing="3", width="100%",
        align=rx.breakpoints(initial="start", sm="center"),
    )


def _tasks() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.icon("list-checks", size=18),
            rx.heading(T("My tasks"), size="4"),
            rx.badge(H.task_total, variant="soft", radius="full", id="tasks-total"),
            rx.spacer(),
            rx.cond(H.kind_filter != "", rx.button(rx.icon("x", size=14), T("Show all tasks"), variant="ghost",
                                                   size="1", color_scheme="gray", on_click=H.filter_kind(""),
                                                   id="tasks-show-all")),
            align="center", spacing="2", width="100%",
        ),
        rx.grid(rx.foreach(H.task_counts, _count_card), columns=rx.breakpoints(initial="2", sm="3"),
                spacing="3", width="100%", id="task-counts"),
        rx.cond(
            H.tasks_loaded,
            rx.cond(H.shown_tasks.length() > 0, _task_table(), _empty()),
            rx.center(rx.spinner(size="3"), padding="6", width="100%"),
        ),
        rx.cond(H.tasks_have_next | (H.task_page > 1),
                pager(H.task_counter, H.task_page > 1, H.tasks_have_next, H.previous_tasks, H.next_tasks, "tasks")),
        spacing="3", width="100%",
    )


def home_page() -> rx.Component:
    return app_page(
        rx.vstack(
            _heading(),
            rx.box(
                _tasks(),
                side(),
                display="grid", gap="20px", width="100%",
                grid_template_columns=["minmax(0, 1fr)", "minmax(0, 1fr)", "minmax(0, 1fr)",
                                       "minmax(0, 1fr) 300px"],
                align_items="start",
            ),
            rx.moment(interval=60_000, on_change=H.refresh_tasks, display="none"),
            spacing="4", width="100%", on_unmount=H.leave,
        )
    )

"""Badges of the request screens: status, overdue, personal data."""

from __future__ import annotations

import reflex as rx

from imi_app.ui.i18n import T

STATUS_COLORS = (("draft", "gray"), ("awaiting_approval", "amber"), ("sent", "blue"), ("accepted", "indigo"),
                 ("answer_awaiting_approval", "amber"), ("answered", "green"), ("insisted", "orange"),
                 ("in_referral", "purple"), ("closed", "gray"), ("withdrawn", "red"))


def request_status_badge(status: rx.Var, label: rx.Var, **props) -> rx.Component:
    return rx.badge(label, color_scheme=rx.match(status, *STATUS_COLORS, "gray"), variant="soft", size="2",
                    white_space="nowrap", **props)


def overdue_badge(**props) -> rx.Component:
    return rx.badge(rx.icon("clock-alert", size=12), T("Overdue"), color_scheme="red", variant="solid",
                    white_space="nowrap", **props)


def personal_data_badge(**props) -> rx.Component:
    return rx.badge(rx.icon("shield-alert", size=12), T("Personal data"), color_scheme="crimson", variant="surface",
                    white_space="nowrap", title=T("Personal data"), **props)


def personal_data_note() -> rx.Component:
    return rx.text(T("Personal data: use it only for this request. It is shown to the authorities taking part and "
                     "is never sent by e-mail."), size="1", color_scheme="gray")

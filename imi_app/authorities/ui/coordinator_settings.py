"""Coordinator settings: a card per legislative area with referral, approval and data administrators."""

from __future__ import annotations

from typing import Any

import reflex as rx

from imi_app.ui.admin import access_gate, open_confirm_dialog
from imi_app.ui.forms import field_error, page_heading
from imi_app.ui.i18n import T
from imi_app.ui.layout import app_page
from imi_app.core.i18n import N_
from imi_app.authorities.ui.coordinator_settings_state import CoordinatorSettingsState as S


def _part(title: str, text: str, *children: rx.Component, **props) -> rx.Component:
    """One part of an area's card: its subheading and what it says, then its controls."""
    return rx.vstack(
        rx.vstack(rx.text(T(title), weight="bold", size="3"), rx.text(T(text), size="2", color_scheme="gray"),
                  spacing="1", width="100%"),
        *children,
        spacing="3", width="100%", **props,
    )


def _choice(area, value: str, label: str, hint: str) -> rx.Component:
    return rx.el.label(
        rx.hstack(
            rx.radio_group.item(value=value, id=f"referral-{area['code']}-{value}", margin_top="2px"),
            rx.vstack(rx.text(T(label), size="2", weight="medium"), rx.text(T(hint), size="1", color_scheme="gray"),
                      spacing="0"),
            spacing="2", align="start",
        ),
        cursor="pointer", width="100%",
    )


def _referee_select(area) -> rx.Component:
    error = S.errors.get(f"{area['id']}:referee_user_id", "").to(str)
    return rx.vstack(
        rx.el.label(T("Approver-referee"), html_for=f"referee-{area['code']}", class_name="imi-label"),
        rx.select.root(
            rx.select.trigger(placeholder=T("Choose a user of your authority"), id=f"referee-{area['code']}",
                              width="100%"),
            rx.select.content(rx.foreach(S.staff, lambda s: rx.select.item(s["name"], value=s["id"]))),
            value=area["referee"].to(str), on_change=lambda value: S.set_referee(area["id"], value),
            disabled=~area["can_edit"].to(bool), size="2",
        ),
        rx.text(T("This user gets the approver-referee role for the area and gives the opinion in your name."),
                size="1", color_scheme="gray"),
        field_error(error),
        spacing="1", width="100%", padding_left="24px",
    )


def _referral(area) -> rx.Component:
    return _part(
        N_("Referral procedure"),
        N_("When the requesting authority is not satisfied with an answer and the responding authority cannot give "
           "more, both sides' coordinators give their opinion."),
        rx.radio_group.root(
            rx.vstack(
                _choice(area, "self", N_("Yes, we handle it"), N_("Your data administrators give the opinion.")),
                _choice(area, "referee", N_("Yes, through an approver-referee"),
                        N_("A named user of your authority gives the opinion.")),
                # The picker belongs to the option above it, so it is shown right under it.
                rx.cond(area["mode"] == "referee", _referee_select(area)),
                _choice(area, "none", N_("No"), N_("Referrals go on without your opinion.")),
                spacing="2", width="100%",
            ),
            value=area["mode"].to(str), on_change=lambda value: S.set_mode(area["id"], value),
            disabled=~area["can_edit"].to(bool), id=f"referral-{area['code']}", size="2",
        ),
        field_error(S.errors.get(f"{area['id']}:referral_mode", "").to(str)),
    )


def _switch(area, field: str, handler, label: str, hint: str) -> rx.Component:
    element_id = f"approve-{field}-{area['code']}"
    return rx.hstack(
        rx.switch(checked=area[field].to(bool), on_change=lambda value: handler(area["id"], value),
                  disabled=~area["can_edit"].to(bool), id=element_id, margin_top="2px"),
        rx.vstack(rx.el.label(T(label), html_for=element_id, class_name="imi-label"),
                  rx.text(T(hint), size="1", color_scheme="gray"), spacing="0"),
        spacing="3", align="start", width="100%",
    )


def _approval(area) -> rx.Component:
    return _part(
        N_("Approval procedure"),
        N_("Whether requests and answers of the authorities you coordinate wait for your approval before they "
           "leave the country."),
        _switch(area, "requests", S.set_requests, N_("Approve outgoing requests"),
                N_("Requests in this area are sent only after you approve them.")),
        _switch(area, "answers", S.set_answers, N_("Approve outgoing answers"),
                N_("Answers in this area are sent only after you approve them.")),
    )


def _admin_row(area, admin) -> rx.Component:
    return rx.hstack(
        rx.avatar(fallback=admin["name"].to(str)[:1], size="2", radius="full"),
        rx.vstack(
            rx.hstack(rx.text(admin["name"], size="2", weight="medium"),
                      rx.cond(admin["is_me"], rx.badge(T("You"), variant="soft", color_scheme="indigo")),
                      rx.cond(~admin["active"].to(bool), rx.badge(T("Disabled"), variant="soft", color_scheme="gray")),
                      spacing="2", align="center", wrap="wrap"),
            rx.code(admin["username"], variant="ghost", size="1"),
            spacing="0",
        ),
        rx.spacer(),
        rx.cond(area["can_edit"], rx.icon_button(
            rx.icon("user-minus", size=14), variant="ghost", color_scheme="red", size="2",
            disabled=~admin["removable"].to(bool),
            on_click=S.ask_remove_da(area["id"], admin["id"]), id=f"remove-da-{area['code']}-{admin['id']}",
            title=rx.cond(admin["removable"], T("Remove the data administrator role"),
                          T("An area keeps at least one data administrator.")),
            aria_label=T("Remove the data administrator role"))),
        align="center", spacing="3", width="100%", id=f"da-{area['code']}-{admin['id']}",
    )


def _add_admin(area) -> rx.Component:
    candidates = area["candidates"].to(list[dict[str, Any]])
    return rx.cond(
        candidates.length() > 0,
        rx.hstack(
            rx.box(rx.select.root(
                rx.select.trigger(placeholder=T("Choose a user"), id=f"add-da-{area['code']}", width="100%",
                                  aria_label=T("Data administrator to add")),
                rx.select.content(rx.foreach(candidates, lambda c: rx.select.item(c["name"], value=c["id"]))),
                value=area["da_choice"].to(str), on_change=lambda value: S.set_da_choice(area["id"], value),
                size="2",
            ), flex="1", min_width="0"),
            rx.button(rx.icon("user-plus", size=14), T("Add"), size="2", variant="soft",
                      disabled=area["da_choice"] == "", on_click=S.add_da(area["id"]),
                      id=f"add-da-submit-{area['code']}"),
            spacing="2", width="100%", align="center",
        ),
        rx.text(T("Every active user of your authority is a data administrator for this area."), size="1",
                color_scheme="gray"),
    )


def _admins(area) -> rx.Component:
    return _part(
        N_("Data administrators"), N_("They validate authorities, grant legislative areas and change these settings."),
        rx.vstack(rx.foreach(area["admins"].to(list[dict[str, Any]]), lambda admin: _admin_row(area, admin)),
                  spacing="2", width="100%"),
        rx.cond(area["can_edit"], _add_admin(area)),
        padding="12px", border_radius="8px", background=rx.color("gray", 2),
    )


def _area_card(area) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.icon("scale", size=18, color=rx.color("indigo", 10)),
                rx.heading(area["name"], size="5"),
                rx.spacer(),
                rx.cond(~area["can_edit"].to(bool),
                        rx.badge(rx.icon("eye", size=12), T("View only"), variant="soft", color_scheme="gray")),
                align="center", spacing="2", width="100%",
            ),
            rx.grid(
                rx.vstack(
                    _referral(area), rx.separator(size="4"), _approval(area),
                    rx.cond(area["can_edit"], rx.flex(
                        rx.cond(area["dirty"], rx.text(T("Unsaved changes"), size="2", color_scheme="amber")),
                        rx.button(rx.icon("save", size=14), T("Save"), size="3", disabled=~area["dirty"].to(bool),
                                  on_click=S.save_area(area["id"]), id=f"save-{area['code']}"),
                        justify="end", align="center", spacing="3", width="100%"),
                        rx.text(T("Only the data administrators of this legislative area change its settings."),
                                size="1", color_scheme="gray")),
                    spacing="4", width="100%",
                ),
                _admins(area),
                columns=rx.breakpoints(initial="1", md="2"), spacing="5", width="100%", align="start",
            ),
            spacing="4", width="100%",
        ),
        size="3", width="100%", id=f"settings-{area['code']}",
    )


def _remove_dialog() -> rx.Component:
    return open_confirm_dialog(
        S.remove_open, S.set_remove_open,
        title=N_("Remove the data administrator role?"),
        text=N_("The user keeps their account but no longer administers this legislative area."),
        confirm=N_("Remove"), on_confirm=S.confirm_remove_da, confirm_id="confirm-remove-da", color="red",
        extra=rx.text(S.remove_target.get("name", "").to(str), " — ",
                      S.remove_target.get("area", "").to(str), weight="bold", size="3", margin_top="2"))


def _content() -> rx.Component:
    return rx.vstack(
        rx.foreach(S.areas, _area_card),
        _remove_dialog(),
        spacing="5", width="100%",
    )


def coordinator_settings_page() -> rx.Component:
    return app_page(rx.vstack(
        page_heading(N_("Coordinator settings"),
                     N_("Per legislative area: referrals, approval of outgoing requests and answers, and your data "
                        "administrators.")),
        access_gate(S.access, _content()),
        spacing="4", width="100%", on_unmount=S.leave,
    ))

"""The coordinator settings page: per legislative area the referral, approval and data administrators."""

from __future__ import annotations

from typing import Any

import reflex as rx

from imi_app.core import routes
from imi_app.core.db import session_scope
from imi_app.core.i18n import N_, localized
from imi_app.authorities.models import REFERRAL_MODES, ReferralMode
from imi_app.accounts.models import User
from imi_app.authorities.coordinator_settings import (
    AreaSettings, StaffMember, coordinator_staff, get_settings, grant_data_admin, revoke_data_admin,
    update_setting,
)
from imi_app.core.errors import Denied, ServiceError, ValidationFailed
from imi_app.ui.common import LOADING, NO_ACCESS, READY, id_from_text
from imi_app.policy.menu import menu_for
from imi_app.ui.base import AppState

SAVED = N_("The settings for {area} have been saved.")
DA_ADDED = N_("{name} is now a data administrator for {area}.")
DA_REMOVED = N_("{name} is no longer a data administrator for {area}.")


def names_in(names: dict, code: str, language: str) -> str:
    return localized(names, language, code)


SETTING_FIELDS = ("mode", "referee", "requests", "answers")


def _card(item: AreaSettings, staff: list[StaffMember], actor_id: int, language: str) -> dict[str, Any]:
    holders = {m.id for m in item.data_administrators}
    active_holders = sum(1 for m in item.data_administrators if m.is_active)
    values = {"mode": item.referral_mode, "referee": str(item.referee_user_id or ""),
              "requests": item.approve_requests, "answers": item.approve_answers}
    return {
        "id": str(item.area_id), "code": item.area_code, "name": names_in(item.area_names, item.area_code, language),
        **values, "saved": values, "dirty": False, "can_edit": item.can_edit,
        # The last active data administrator cannot be removed (the service refuses it too).
        "admins": [{"id": str(m.id), "name": m.full_name, "username": m.username, "active": m.is_active,
                    "is_me": m.id == actor_id, "removable": not m.is_active or active_holders > 1}
                   for m in item.data_administrators],
        "candidates": [{"id": str(s.id), "name": s.full_name} for s in staff if s.id not in holders],
        "da_choice": "",
    }


class CoordinatorSettingsState(AppState):
    access: str = LOADING
    areas: list[dict[str, Any]] = []
    staff: list[dict[str, str]] = []  # who can be named approver-referee
    errors: dict[str, str] = {}  # "<area id>:<field>" -> message
    remove_open: bool = False
    remove_target: dict[str, str] = {}

    def _clear(self) -> None:
        self.areas, self.staff, self.errors, self.remove_target, self.remove_open = [], [], {}, {}, False

    def _load(self, user: User) -> None:
        try:
            with session_scope() as session:
                settings = get_settings(session, actor=user, coordinator_id=user.authority_id)
                staff = coordinator_staff(session, actor=user, coordinator_id=user.authority_id)
        except Denied:
            self._clear()
            self.access = NO_ACCESS
            return
        self.areas = [_card(item, staff, user.id, self.lang) for item in settings]
        self.staff = [{"id": str(s.id), "name": s.full_name} for s in staff]
        self.access = READY

    def _actor(self) -> User | None:
        user = self._active_user()
        if user is None:
            self._clear()
        return user

    def _area(self, area_id: object) -> dict[str, Any] | None:
        return next((a for a in self.areas if a["id"] == area_id), None) if isinstance(area_id, str) else None

    def _change(self, area_id: object, field: str, value: object) -> None:
        """A choice on the page; nothing is stored until the area is saved."""
        if self._area(area_id) is None:
            return
        changed = []
        for area in self.areas:
            if area["id"] == area_id:
                area = {**area, field: value}
                area["dirty"] = any(area[name] != area["saved"][name] for name in SETTING_FIELDS)
            changed.append(area)
        self.areas = changed

    @rx.event
    def open_settings(self):
        self.access = LOADING
        self._clear()
        redirect = self.require_user()
        if redirect is not None:
            return redirect
        user = self._actor()
        if user is None:
            return rx.redirect(routes.LOGIN, replace=True)
        self._load(user)
        return None

    @rx.event
    def set_mode(self, area_id: str, mode: str):
        if isinstance(mode, str) and mode in REFERRAL_MODES:
            self._change(area_id, "mode", mode)

    @rx.event
    def set_referee(self, area_id: str, user_id: str):
        if isinstance(user_id, str):
            self._change(area_id, "referee", user_id[:12])

    @rx.event
    def set_requests(self, area_id: str, value: bool):
        if isinstance(value, bool):
            self._change(area_id, "requests", value)

    @rx.event
    def set_answers(self, area_id: str, value: bool):
        if isinstance(value, bool):
            self._change(area_id, "answers", value)

    @rx.event
    def set_da_choice(self, area_id: str, user_id: str):
        if isinstance(user_id, str):
            self._change(area_id, "da_choice", user_id[:12])

    @rx.event
    def save_area(self, area_id: str):
        user = self._actor()
        if user is None:
            return rx.redirect(routes.LOGIN, replace=True)
        area = self._area(area_id)
        if area is None or self.access != READY:
            return None
        referee = id_from_text(area["referee"]) if area["referee"] else None
        try:
            with session_scope() as session:
                update_setting(session, actor=user, area_id=id_from_text(area_id), referral_mode=area["mode"],
                               referee_user_id=referee, approve_requests=area["requests"],  # type: ignore[arg-type]
                               approve_answers=area["answers"])
        except ValidationFailed as error:
            self.errors = {f"{area_id}:{k}": v for k, v in self._field_errors(error).items()}
            return self._fail(error)
        except ServiceError as error:
            self._load(user)
            return self._fail(error)
        self.errors = {}
        self._load(user)
        return rx.toast.success(self._tr(SAVED, area=area["name"]))

    @rx.event
    def add_da(self, area_id: str):
        user = self._actor()
        if user is None:
            return rx.redirect(routes.LOGIN, replace=True)
        area = self._area(area_id)
        if area is None or not area["da_choice"]:
            return None
        name = next((c["name"] for c in area["candidates"] if c["id"] == area["da_choice"]), "")
        try:
            with session_scope() as session:
                grant_data_admin(session, actor=user, area_id=id_from_text(area_id),  # type: ignore[arg-type]
                                 user_id=id_from_text(area["da_choice"]))  # type: ignore[arg-type]
        except ServiceError as error:
            self._load(user)
            return self._fail(error)
        self._load(user)
        return rx.toast.success(self._tr(DA_ADDED, name=name, area=area["name"]))

    @rx.event
    def ask_remove_da(self, area_id: str, user_id: str):
        area = self._area(area_id)
        admin = next((m for m in area["admins"] if m["id"] == user_id), None) if area else None
        if admin is None:
            return
        self.remove_target = {"area_id": area["id"], "area": area["name"], "user_id": admin["id"],  # type: ignore[index]
                              "name": admin["name"]}
        self.remove_open = True

    @rx.event
    def set_remove_open(self, value: bool):
        self.remove_open = value is True

    @rx.event
    def confirm_remove_da(self):
        user = self._actor()
        if user is None:
            return rx.redirect(routes.LOGIN, replace=True)
        target, self.remove_open = self.remove_target, False
        if not target:
            return None
        try:
            with session_scope() as session:
                revoke_data_admin(session, actor=user, area_id=id_from_text(target["area_id"]),  # type: ignore[arg-type]
                                  user_id=id_from_text(target["user_id"]))  # type: ignore[arg-type]
        except ServiceError as error:
            self._load(user)
            return self._fail(error)
        self.remove_target = {}
        self._load(user)
        # Whoever removed their own last role no longer sees the administration menu.
        self._show_user(user, menu_for(actor=user))
        return rx.toast.success(self._tr(DA_REMOVED, name=target["name"], area=target["area"]))

    @rx.event
    def leave(self):
        """on_unmount: the staff list does not stay in the tab's state."""
        self._clear()

"""The coordinator settings page: per legislative area the referral, approval and data administrators."""

from __future__ import annotations

from typing import Any

import reflex as rx

from imi_app.core.i18n import N_, localized
from imi_app.authorities.models import REFERRAL_MODES
from imi_app.accounts.models import User
from imi_app.authorities.coordinator_settings import (
    AreaSettings, SettingsPage, StaffMember, grant_data_admin, revoke_data_admin, settings_page, update_setting,
)
from imi_app.core.errors import ServiceError, ValidationFailed
from imi_app.ui.common import READY, SignedInView, id_from_text
from imi_app.ui.base import AppState, run

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


class CoordinatorSettingsState(SignedInView, AppState):
    areas: list[dict[str, Any]] = []
    staff: list[dict[str, str]] = []  # who can be named approver-referee
    errors: dict[str, str] = {}  # "<area id>:<field>" -> message
    remove_open: bool = False
    remove_target: dict[str, str] = {}

    def _clear(self) -> None:
        self.areas, self.staff, self.errors, self.remove_target, self.remove_open = [], [], {}, {}, False

    async def _read(self, actor: User) -> None:
        found: SettingsPage = await run(settings_page, actor=actor)
        self.areas = [_card(item, found.staff, actor.id, self.lang) for item in found.areas]
        self.staff = [{"id": str(s.id), "name": s.full_name} for s in found.staff]

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
    async def open_settings(self):
        return await self._reopen()

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
    async def save_area(self, area_id: str):
        area = self._area(area_id)
        if area is None or self.access != READY:
            return await self._signed_out_or_none()
        referee = id_from_text(area["referee"]) if area["referee"] else None
        actor = await self._actor()
        if actor is None:
            self._clear()
            return self._to_login()
        try:
            await run(update_setting, actor=actor, area_id=id_from_text(area_id), referral_mode=area["mode"],
                      referee_user_id=referee, approve_requests=area["requests"], approve_answers=area["answers"])
        except ValidationFailed as error:
            self.errors = {f"{area_id}:{k}": v for k, v in self._field_errors(error).items()}
            return self._fail(error)
        except ServiceError as error:
            await self._load()
            return self._fail(error)
        self.errors = {}
        await self._load()
        return rx.toast.success(self._tr(SAVED, area=area["name"]))

    async def _signed_out_or_none(self):
        """For a click that does nothing: the way to sign in when the session is gone, else nothing."""
        if await self._actor() is None:
            self._clear()
            return self._to_login()
        return None

    @rx.event
    async def add_da(self, area_id: str):
        area = self._area(area_id)
        if area is None or not area["da_choice"]:
            return await self._signed_out_or_none()
        name = next((c["name"] for c in area["candidates"] if c["id"] == area["da_choice"]), "")
        refused = await self._act(grant_data_admin, area_id=id_from_text(area_id),
                                  user_id=id_from_text(area["da_choice"]))
        if refused is not None:
            return refused
        await self._load()
        return rx.toast.success(self._tr(DA_ADDED, name=name, area=area["name"]))

    @rx.event
    def ask_remove_da(self, area_id: str, user_id: str):
        area = self._area(area_id)
        admin = next((m for m in area["admins"] if m["id"] == user_id), None) if area else None
        if area is None or admin is None:
            return
        self.remove_target = {"area_id": area["id"], "area": area["name"], "user_id": admin["id"],
                              "name": admin["name"]}
        self.remove_open = True

    @rx.event
    def set_remove_open(self, value: bool):
        self.remove_open = value is True

    @rx.event
    async def confirm_remove_da(self):
        target, self.remove_open = self.remove_target, False
        if not target:
            return await self._signed_out_or_none()
        refused = await self._act(revoke_data_admin, area_id=id_from_text(target["area_id"]),
                                  user_id=id_from_text(target["user_id"]))
        if refused is not None:
            return refused
        self.remove_target = {}
        # Whoever removed their own last role no longer sees the administration menu: the page is opened
        # again, menu first.
        opened = await self._open_page()
        if not opened.ok:
            return opened.events
        await self._load()
        return rx.toast.success(self._tr(DA_REMOVED, name=target["name"], area=target["area"]))

    @rx.event
    def leave(self):
        """on_unmount: the staff list does not stay in the tab's state."""
        self._clear()

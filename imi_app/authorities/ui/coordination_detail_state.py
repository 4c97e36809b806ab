"""One authority I coordinate: its data, names, areas and keywords, its LDAs, validation or rejection."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

import reflex as rx

from imi_app.core import routes
from imi_app.core.db import session_scope
from imi_app.core.i18n import N_, country_name, language_name
from imi_app.accounts.models import User
from imi_app.authorities.coordination import (
    create_lda_password, grant_area, reject_authority, rename_authority, revoke_area, validate_authority,
)
from imi_app.authorities.coordination_views import CoordinatedDetail, coordinated_detail
from imi_app.core.errors import Denied, ServiceError, ValidationFailed
from imi_app.accounts.users import UserRow, user_status
from imi_app.ui.common import LOADING, NOT_FOUND, READY, form_value, id_from_text, utc_text
from imi_app.ui.base import AppState, run
from imi_app.authorities.ui.coordination_common import NameRowsMixin, language_options

NAMES_SAVED = N_("The names have been saved.")
AREA_SAVED = N_("The legislative area has been saved.")
AREA_REVOKED = N_("The legislative area has been revoked.")
VALIDATED = N_("The authority has been validated.")
REJECTED = N_("The registration has been rejected and the reason e-mailed to the authority.")
NEW_PASSWORD_SENT = N_("A new temporary password has been e-mailed to {name}.")


def _lda(row) -> dict[str, Any]:
    status = user_status(UserRow(row.id, row.username, row.full_name, row.email, row.is_active, row.is_blocked,
                                 True, row.must_set_up))
    return {"id": row.id, "name": row.full_name, "username": row.username, "email": row.email, "status": status}


def _validate(actor: User, authority_id: object) -> list[User]:
    with session_scope() as session:
        return validate_authority(session, actor=actor, authority_id=authority_id)[1]  # type: ignore[arg-type]


def _new_password(actor: User, authority_id: object, user_id: object) -> None:
    with session_scope() as session:
        create_lda_password(session, actor=actor, authority_id=authority_id, user_id=user_id)  # type: ignore[arg-type]


class CoordinatedDetailState(NameRowsMixin, AppState):
    access: str = LOADING
    busy: bool = False
    form_key: int = 0
    errors: dict[str, str] = {}
    info: dict[str, str] = {}
    status: str = ""
    official_name: str = ""
    areas: list[dict[str, Any]] = []
    area_errors: dict[str, str] = {}
    ldas: list[dict[str, Any]] = []
    reject_open: bool = False
    reject_error: str = ""
    # The validated authority's first user: shown once, cleared when the panel goes away.
    shown_username: str = ""
    shown_user: str = ""
    confirm_open: bool = False
    confirm_name: str = ""
    _confirm_id: int | None = None

    @rx.var
    def name_languages(self) -> list[list[str]]:
        return language_options()

    def _route_id(self) -> object:
        return id_from_text(unquote(self.router.url.path.rstrip("/").rsplit("/", 1)[-1]))

    def _forget(self) -> None:
        self.info, self.status, self.official_name, self.areas, self.ldas = {}, "", "", [], []
        self.name_rows, self.errors, self.area_errors = [], {}, {}

    def _show(self, detail: CoordinatedDetail) -> None:
        a = detail.authority
        self.info = {
            "name": a.official_name, "country": country_name(a.country_code, self.lang), "address": a.address,
            "contact_email": a.contact_email, "phone": a.phone, "coordinator": detail.coordinator,
            "languages": ", ".join(language_name(code) for code in a.languages.split(",") if code),
            "registered": utc_text(a.created_at),
            "validated": " · ".join(part for part in (utc_text(a.validated_at), detail.validated_by) if part),
            "reason": a.rejection_reason, "invited": detail.invited_email,
            "kind": "coordinator" if a.is_coordinator else "authority",
        }
        self.status, self.official_name = a.status, a.official_name
        self._set_name_rows(detail.other_names)
        self.areas = [{"id": str(r.area.id), "code": r.area.code, "name": r.area.name_in(self.lang),
                       "granted": r.granted, "keywords": r.keywords, "can_change": r.can_change,
                       "open": r.open_requests} for r in detail.areas]
        self.ldas = [_lda(row) for row in detail.ldas]
        self.form_key += 1

    def _load(self, actor: User) -> None:
        try:
            with session_scope() as session:
                self._show(coordinated_detail(session, actor=actor, authority_id=self._route_id()))
        except Denied:
            self._forget()
            self.access = NOT_FOUND
            return
        self.access = READY

    def _actor(self):
        actor = self._active_user()
        if actor is None:
            self._forget()
        return actor

    @rx.event
    def open_detail(self):
        self._forget()
        self.access, self.busy, self.reject_open, self.confirm_open, self._confirm_id = LOADING, False, False, False, None
        self.shown_username = self.shown_user = self.reject_error = ""
        redirect = self.require_user()
        if redirect is not None:
            return redirect
        actor = self._actor()
        if actor is None:
            return rx.redirect(routes.LOGIN, replace=True)
        self._load(actor)
        return None

    @rx.event
    def save_names(self, form: dict):
        actor = self._actor()
        if actor is None:
            return rx.redirect(routes.LOGIN, replace=True)
        try:
            with session_scope() as session:
                rename_authority(session, actor=actor, authority_id=self._route_id(),  # type: ignore[arg-type]
                                 official_name=form_value(form, "official_name"),  # type: ignore[arg-type]
                                 other_names=self.names_given())
        except ServiceError as error:
            return self._form_refused(error)
        self.errors = {}
        self._load(actor)
        return rx.toast.success(self._tr(NAMES_SAVED))

    @rx.event
    def save_area(self, form: dict):
        actor = self._actor()
        if actor is None:
            return rx.redirect(routes.LOGIN, replace=True)
        area_id = form_value(form, "area_id")
        try:
            with session_scope() as session:
                grant_area(session, actor=actor, authority_id=self._route_id(),  # type: ignore[arg-type]
                           area_id=id_from_text(area_id), keywords=form_value(form, "keywords"))  # type: ignore[arg-type]
        except ValidationFailed as error:
            self.area_errors = {str(area_id): next(iter(self._field_errors(error).values()), "")}
            return self._fail(error)
        except ServiceError as error:
            return self._fail(error)
        self.area_errors = {}
        self._load(actor)
        return rx.toast.success(self._tr(AREA_SAVED))

    @rx.event
    def revoke(self, area_id: str):
        actor = self._actor()
        if actor is None:
            return rx.redirect(routes.LOGIN, replace=True)
        try:
            with session_scope() as session:
                revoke_area(session, actor=actor, authority_id=self._route_id(),  # type: ignore[arg-type]
                            area_id=id_from_text(area_id))  # type: ignore[arg-type]
        except ServiceError as error:
            self.area_errors = {str(area_id): self._tr(error.message, **error.params)}
            return self._fail(error)
        self.area_errors = {}
        self._load(actor)
        return rx.toast.success(self._tr(AREA_REVOKED))

    @rx.event
    async def validate(self):
        actor = self._actor()
        if actor is None:
            yield rx.redirect(routes.LOGIN, replace=True)
            return
        if self.busy:
            return
        self.busy = True
        yield
        try:
            users = await run(_validate, actor, self._route_id())
        except ServiceError as error:
            yield self._fail(error)
            return
        finally:
            self.busy = False
        if users:
            self.shown_username, self.shown_user = users[0].username, f"{users[0].full_name} <{users[0].email}>"
        self._load(actor)
        yield rx.toast.success(self._tr(VALIDATED))

    @rx.event
    def set_reject_open(self, value: bool):
        self.reject_open = value if isinstance(value, bool) else False
        self.reject_error = ""

    @rx.event
    def reject(self, form: dict):
        actor = self._actor()
        if actor is None:
            return rx.redirect(routes.LOGIN, replace=True)
        try:
            with session_scope() as session:
                reject_authority(session, actor=actor, authority_id=self._route_id(),  # type: ignore[arg-type]
                                 reason=form_value(form, "reason"))  # type: ignore[arg-type]
        except ValidationFailed as error:
            self.reject_error = self._field_errors(error).get("reason", "")
            return None
        except ServiceError as error:
            self.reject_open = False
            return self._fail(error)
        self.reject_open, self.reject_error = False, ""
        self._load(actor)
        return rx.toast.success(self._tr(REJECTED))

    @rx.event
    def forget_username(self):
        """on_unmount of the panel: the username is never shown a second time."""
        self.shown_username = self.shown_user = ""

    @rx.event
    def ask_new_password(self, user_id: object):
        if self._actor() is None:
            return rx.redirect(routes.LOGIN, replace=True)
        match = [row for row in self.ldas if row["id"] == id_from_text(user_id)]
        if match and self.status == "active":  # a pending authority's users get their password at validation
            self._confirm_id, self.confirm_name, self.confirm_open = match[0]["id"], match[0]["name"], True
        return None

    @rx.event
    def set_confirm_open(self, value: bool):
        self.confirm_open = value if isinstance(value, bool) else False

    @rx.event
    async def confirm_new_password(self):
        actor = self._actor()
        if actor is None:
            yield rx.redirect(routes.LOGIN, replace=True)
            return
        target, self._confirm_id, self.confirm_open = self._confirm_id, None, False
        if target is None or self.busy:
            return
        self.busy = True
        yield
        try:
            await run(_new_password, actor, self._route_id(), target)
        except ServiceError as error:
            yield self._fail(error)
            return
        finally:
            self.busy = False
        self._load(actor)
        yield rx.toast.success(self._tr(NEW_PASSWORD_SENT, name=self.confirm_name))

    @rx.event
    def leave(self):
        self._forget()
        self.shown_username = self.shown_user = ""

"""One authority I coordinate: its data, names, areas and keywords, its LDAs, validation or rejection."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

import reflex as rx

from imi_app.core.i18n import N_, country_name, language_name
from imi_app.accounts.models import User
from imi_app.authorities.coordination import (
    create_lda_password, grant_area, reject_authority, rename_authority, revoke_area, validate_authority,
)
from imi_app.authorities.coordination_views import CoordinatedDetail, coordinated_detail
from imi_app.core.errors import Denied, ServiceError, ValidationFailed
from imi_app.core.edges import is_id
from imi_app.accounts.users import UserRow, user_status
from imi_app.ui.common import LOADING, NOT_FOUND, READY, form_value, id_from_text
from imi_app.ui.base import AppState, Outcome, run
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
        a, fmt = detail.authority, self._formats()
        self.info = {
            "name": a.official_name, "country": country_name(a.country_code, self.lang), "address": a.address,
            "contact_email": a.contact_email, "phone": a.phone, "coordinator": detail.coordinator,
            "languages": ", ".join(language_name(code) for code in a.languages.split(",") if code),
            "registered": fmt.moment(a.created_at),
            "validated": " · ".join(part for part in (fmt.moment(a.validated_at), detail.validated_by) if part),
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

    async def _load(self, actor: User | None = None):
        """Shows the authority as it is now (read as `actor` when the handler has just acted as them);
        what it returns (nothing, or the way to sign in) the handler returns."""
        if actor is None:
            actor = await self._actor()
            if actor is None:
                self._forget()
                return self._to_login()
        try:
            detail = await run(coordinated_detail, actor=actor, authority_id=self._route_id())
        except Denied:
            self._forget()
            self.access = NOT_FOUND
            return None
        self._show(detail)
        self.access = READY
        return None

    async def _change(self, fn, refused, **kwargs) -> Outcome:
        """An action on the authority of the page; signed out, nothing of it stays shown."""
        outcome = await self._perform(fn, refused=refused, authority_id=self._route_id(), **kwargs)
        if not outcome.ok and outcome.actor is None:
            self._forget()
        return outcome

    @rx.event
    async def open_detail(self):
        self._forget()
        self.access, self.busy, self.reject_open, self.confirm_open, self._confirm_id = LOADING, False, False, False, None
        self.shown_username = self.shown_user = self.reject_error = ""
        opened = await self._open_page()
        if not opened.ok:
            return opened.events
        return await self._load(opened.actor)

    @rx.event
    async def save_names(self, form: dict):
        outcome = await self._change(rename_authority, self._form_refused,
                                     official_name=form_value(form, "official_name"), other_names=self.names_given())
        if not outcome.ok:
            return outcome.events
        self.errors = {}
        await self._load(outcome.actor)
        return rx.toast.success(self._tr(NAMES_SAVED))

    def _area_refused(self, area_id: object, error: ServiceError):
        if isinstance(error, ValidationFailed):
            self.area_errors = {str(area_id): next(iter(self._field_errors(error).values()), "")}
        return self._fail(error)

    @rx.event
    async def save_area(self, form: dict):
        area_id = form_value(form, "area_id")
        outcome = await self._change(grant_area, lambda error: self._area_refused(area_id, error),
                                     area_id=id_from_text(area_id), keywords=form_value(form, "keywords"))
        if not outcome.ok:
            return outcome.events
        self.area_errors = {}
        await self._load(outcome.actor)
        return rx.toast.success(self._tr(AREA_SAVED))

    def _revoke_refused(self, area_id: object, error: ServiceError):
        self.area_errors = {str(area_id): self._tr(error.message, **error.params)}
        return self._fail(error)

    @rx.event
    async def revoke(self, area_id: str):
        outcome = await self._change(revoke_area, lambda error: self._revoke_refused(area_id, error),
                                     area_id=id_from_text(area_id))
        if not outcome.ok:
            return outcome.events
        self.area_errors = {}
        await self._load(outcome.actor)
        return rx.toast.success(self._tr(AREA_REVOKED))

    @rx.event
    async def validate(self):
        if self.busy:
            return
        self.busy = True
        yield
        try:
            outcome = await self._change(validate_authority, self._fail)
        finally:
            self.busy = False
        if not outcome.ok:
            yield outcome.events
            return
        _authority, users = outcome.value
        if users:
            self.shown_username, self.shown_user = users[0].username, f"{users[0].full_name} <{users[0].email}>"
        await self._load(outcome.actor)
        yield rx.toast.success(self._tr(VALIDATED))

    @rx.event
    def set_reject_open(self, value: bool):
        self.reject_open = value if isinstance(value, bool) else False
        self.reject_error = ""

    def _reject_refused(self, error: ServiceError):
        if isinstance(error, ValidationFailed):
            self.reject_error = self._field_errors(error).get("reason", "")
            return None
        self.reject_open = False
        return self._fail(error)

    @rx.event
    async def reject(self, form: dict):
        outcome = await self._change(reject_authority, self._reject_refused, reason=form_value(form, "reason"))
        if not outcome.ok:
            return outcome.events
        self.reject_open, self.reject_error = False, ""
        await self._load(outcome.actor)
        return rx.toast.success(self._tr(REJECTED))

    @rx.event
    def forget_username(self):
        """on_unmount of the panel: the username is never shown a second time."""
        self.shown_username = self.shown_user = ""

    @rx.event
    async def ask_new_password(self, user_id: object):
        if await self._actor() is None:
            self._forget()
            return self._to_login()
        wanted = id_from_text(user_id)
        match = [row for row in self.ldas if is_id(wanted) and row["id"] == wanted]
        if match and self.status == "active":  # a pending authority's users get their password at validation
            self._confirm_id, self.confirm_name, self.confirm_open = match[0]["id"], match[0]["name"], True
        return None

    @rx.event
    def set_confirm_open(self, value: bool):
        self.confirm_open = value if isinstance(value, bool) else False

    @rx.event
    async def confirm_new_password(self):
        target, self._confirm_id, self.confirm_open = self._confirm_id, None, False
        if target is None or self.busy:
            return
        self.busy = True
        yield
        try:
            outcome = await self._change(create_lda_password, self._fail, user_id=target)
        finally:
            self.busy = False
        if not outcome.ok:
            yield outcome.events
            return
        await self._load(outcome.actor)
        yield rx.toast.success(self._tr(NEW_PASSWORD_SENT, name=self.confirm_name))

    @rx.event
    def leave(self):
        self._forget()
        self.shown_username = self.shown_user = ""

"""Registering an authority directly, and inviting one to register itself."""

from __future__ import annotations

from typing import Any

import reflex as rx

from imi_app.core import routes
from imi_app.core.db import session_scope
from imi_app.core.i18n import N_, country_name
from imi_app.authorities.models import Authority
from imi_app.accounts.models import User
from imi_app.authorities.coordination import AuthorityInput, register_authority
from imi_app.authorities.coordination_views import coordinator_choices, grantable_areas
from imi_app.core.errors import Denied, ServiceError
from imi_app.authorities.invitations import INVITATION_DAYS, invite_authority
from imi_app.ui.common import LOADING, NO_ACCESS, READY, form_value, id_from_text
from imi_app.ui.base import AppState, run
from imi_app.authorities.ui.coordination_common import NameRowsMixin, area_rows, authority_input, language_options

VALIDITY = N_("The link in the e-mail is valid for {days} days and registers one authority. You then validate "
              "the registration here before its users can sign in.")


def _register(actor: User, data: AuthorityInput) -> tuple[Authority, User]:
    with session_scope() as session:
        return register_authority(session, actor=actor, data=data)


class CoordinatorFormMixin(rx.State, mixin=True):
    """What both forms share: the signed-in data administrator and where the new authority will go."""

    access: str = LOADING
    busy: bool = False
    errors: dict[str, str] = {}
    form_key: int = 0
    coordinators: list[list[str]] = []
    own_coordinator: str = ""
    country: str = ""

    def _open(self, action: str):
        """(actor, None) when the actor may use the form, else (None, what to return)."""
        self.access, self.busy, self.errors, self.coordinators = LOADING, False, {}, []
        self.form_key += 1
        redirect = self.require_user()
        actor = None if redirect is not None else self._active_user()
        if actor is None:
            return None, redirect or rx.redirect(routes.LOGIN, replace=True)
        try:
            with session_scope() as session:
                choices = coordinator_choices(session, actor=actor, action=action)
                self.country = country_name(session.get(Authority, actor.authority_id).country_code, self.lang)
                self._extra(session, actor)
        except Denied:
            self.access = NO_ACCESS
            return None, None
        self.coordinators = [[str(i), name] for i, name in choices]
        self.own_coordinator = self.coordinators[0][0]
        self.access = READY
        return actor, None

    def _extra(self, session, actor: User) -> None:
        """Anything else the form needs, read in the same transaction."""


class RegisterAuthorityState(NameRowsMixin, CoordinatorFormMixin, AppState):
    areas: list[dict[str, Any]] = []
    # Shown once after registering; cleared as soon as the success panel goes away.
    new_username: str = ""
    new_user: str = ""
    new_authority_href: str = ""

    @rx.var
    def name_languages(self) -> list[list[str]]:
        return language_options()

    def _extra(self, session, actor: User) -> None:
        self.areas = area_rows(grantable_areas(session, actor), self.lang)

    @rx.event
    def open_new(self):
        self.new_username = self.new_user = self.new_authority_href = ""
        self.name_rows = []
        _actor, result = self._open("coordination.register")
        return result

    @rx.event
    async def submit(self, form: dict):
        actor = self._active_user()
        if actor is None:
            yield rx.redirect(routes.LOGIN, replace=True)
            return
        if self.access != READY or self.busy:
            return
        data = authority_input(form, self.names_given())
        self.busy = True
        yield
        try:
            authority, user = await run(_register, actor, data)
        except ServiceError as error:
            yield self._form_refused(error)
            return
        finally:
            self.busy = False
        self.errors, self.name_rows = {}, []
        self.new_username, self.new_user = user.username, f"{user.full_name} <{user.email}>"
        self.new_authority_href = routes.coordinated_authority(authority.id)
        self.form_key += 1

    @rx.event
    def register_another(self):
        self.new_username = self.new_user = self.new_authority_href = ""
        self.errors = {}
        self.form_key += 1

    @rx.event
    def forget_new_username(self):
        """on_unmount of the success panel: the username is never shown a second time."""
        self.new_username = self.new_user = ""


class InviteAuthorityState(CoordinatorFormMixin, AppState):
    sent_to: str = ""
    language: str = "en"

    @rx.var
    def validity(self) -> str:
        return self._tr(VALIDITY, days=INVITATION_DAYS)

    @rx.event
    def open_invite(self):
        self.sent_to, self.language = "", self.lang
        _actor, result = self._open("coordination.invite")
        return result

    @rx.event
    def submit(self, form: dict):
        actor = self._active_user()
        if actor is None:
            return rx.redirect(routes.LOGIN, replace=True)
        if self.access != READY:
            return None
        parent = form_value(form, "parent_id")
        try:
            with session_scope() as session:
                invitation = invite_authority(session, actor=actor, email=form_value(form, "email"),  # type: ignore[arg-type]
                                              language=form_value(form, "language"),  # type: ignore[arg-type]
                                              coordinator_id=id_from_text(parent) if parent != "" else None)
        except ServiceError as error:
            return self._form_refused(error)
        self.errors, self.sent_to = {}, invitation.email
        return None

    @rx.event
    def invite_another(self):
        self.sent_to, self.errors = "", {}
        self.form_key += 1

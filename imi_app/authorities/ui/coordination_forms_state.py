"""Registering an authority directly, and inviting one to register itself."""

from __future__ import annotations

from typing import Any

import reflex as rx

from imi_app.core import routes
from imi_app.core.i18n import N_, country_name
from imi_app.authorities.coordination import register_authority
from imi_app.authorities.coordination_views import FormChoices, invite_form, register_form
from imi_app.core.errors import Denied
from imi_app.authorities.invitations import INVITATION_DAYS, invite_authority
from imi_app.ui.common import LOADING, NO_ACCESS, READY, form_value, id_from_text
from imi_app.ui.base import AppState, run
from imi_app.authorities.ui.coordination_common import NameRowsMixin, area_rows, authority_input, language_options

VALIDITY = N_("The link in the e-mail is valid for {days} days and registers one authority. You then validate "
              "the registration here before its users can sign in.")


class CoordinatorFormMixin(rx.State, mixin=True):
    """What both forms share: the signed-in data administrator and where the new authority will go."""

    access: str = LOADING
    busy: bool = False
    errors: dict[str, str] = {}
    form_key: int = 0
    coordinators: list[list[str]] = []
    own_coordinator: str = ""
    country: str = ""

    async def _open(self, form):
        """Shows the form (`form`: the query of its choices) when the actor may use it; what it returns,
        the handler returns."""
        self.access, self.busy, self.errors, self.coordinators = LOADING, False, {}, []
        self.form_key += 1
        opened = await self._open_page()
        if not opened.ok:
            return opened.events
        try:
            choices: FormChoices = await run(form, actor=opened.actor)
        except Denied:
            self.access = NO_ACCESS
            return None
        self.coordinators = [[str(i), name] for i, name in choices.coordinators]
        self.own_coordinator = self.coordinators[0][0]
        self.country = country_name(choices.country_code, self.lang)
        self._extra(choices)
        self.access = READY
        return None

    def _extra(self, choices: FormChoices) -> None:
        """Anything else of the choices the form shows."""


class RegisterAuthorityState(NameRowsMixin, CoordinatorFormMixin, AppState):
    areas: list[dict[str, Any]] = []
    # Shown once after registering; cleared as soon as the success panel goes away.
    new_username: str = ""
    new_user: str = ""
    new_authority_href: str = ""

    @rx.var
    def name_languages(self) -> list[list[str]]:
        return language_options()

    def _extra(self, choices: FormChoices) -> None:
        self.areas = area_rows(choices.areas, self.lang)

    @rx.event
    async def open_new(self):
        self.new_username = self.new_user = self.new_authority_href = ""
        self.name_rows = []
        return await self._open(register_form)

    @rx.event
    async def submit(self, form: dict):
        if self.access != READY or self.busy:
            return
        data = authority_input(form, self.names_given())
        self.busy = True
        yield
        try:
            outcome = await self._perform(register_authority, data=data)
        finally:
            self.busy = False
        if not outcome.ok:
            yield outcome.events
            return
        authority, user = outcome.value
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
    async def open_invite(self):
        self.sent_to, self.language = "", self.lang
        return await self._open(invite_form)

    @rx.event
    async def submit(self, form: dict):
        if self.access != READY:
            return None
        parent = form_value(form, "parent_id")
        # Wrong types go through as sent: the service refuses them beside the field.
        outcome = await self._perform(invite_authority, email=form_value(form, "email"),
                                      language=form_value(form, "language"),
                                      coordinator_id=id_from_text(parent) if parent != "" else None)
        if not outcome.ok:
            return outcome.events
        self.errors, self.sent_to = {}, outcome.value.email
        return None

    @rx.event
    def invite_another(self):
        self.sent_to, self.errors = "", {}
        self.form_key += 1

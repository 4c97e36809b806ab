"""Self-registration through an invitation link: no one is signed in; the signed link is the only key."""

from __future__ import annotations

from typing import Any

import reflex as rx

from imi_app.core.db import session_scope
from imi_app.core.i18n import available_languages, country_name
from imi_app.authorities.coordination import AuthorityInput
from imi_app.core.errors import ServiceError
from imi_app.authorities.invitations import INVALID, InvitationProblem, open_invitation, self_register
from imi_app.ui.base import AppState, run
from imi_app.authorities.ui.coordination_common import NameRowsMixin, area_rows, authority_input, language_options

# What the page shows: the form, the link's problem, or the confirmation.
CHECKING, FORM, DONE = "checking", "form", "done"


def _register(token: str, data: AuthorityInput) -> str:
    with session_scope() as session:
        return self_register(session, token=token, data=data).official_name


class SelfRegisterState(NameRowsMixin, AppState):
    link: str = CHECKING  # CHECKING, FORM, DONE or the problem: "expired", "used", "invalid"
    problem: str = ""
    busy: bool = False
    errors: dict[str, str] = {}
    form_key: int = 0
    coordinator: str = ""
    country: str = ""
    email: str = ""
    areas: list[dict[str, Any]] = []
    registered: str = ""

    @rx.var
    def name_languages(self) -> list[list[str]]:
        return language_options()

    def _token(self) -> str:
        token = self.router.url.query_parameters.get("token", "")
        return token if isinstance(token, str) else ""

    def _refuse(self, problem: InvitationProblem) -> None:
        self.link, self.problem = problem.reason, self._tr(problem.message)
        self.coordinator = self.country = self.email = ""
        self.areas, self.name_rows = [], []

    @rx.event
    def open_register(self):
        self.link, self.problem, self.errors, self.registered, self.busy = CHECKING, "", {}, "", False
        self.name_rows = []
        try:
            with session_scope() as session:
                info = open_invitation(session, token=self._token())
        except InvitationProblem as problem:
            self._refuse(problem)
            return
        if info.language in available_languages():
            self.lang = info.language
        self.coordinator, self.country, self.email = info.coordinator, country_name(info.country_code, self.lang), \
            info.email
        self.areas = area_rows(info.areas, self.lang)
        self.form_key += 1
        self.link = FORM

    @rx.event
    async def submit(self, form: dict):
        if self.link != FORM or self.busy:
            return
        data = authority_input(form, self.names_given())
        self.busy = True
        yield
        try:
            name = await run(_register, self._token(), data)
        except InvitationProblem as problem:
            self._refuse(problem)
            return
        except ServiceError as error:
            yield self._form_refused(error)
            return
        finally:
            self.busy = False
        self.errors, self.registered, self.link = {}, name, DONE
        self.areas, self.name_rows = [], []


__all__ = ["CHECKING", "DONE", "FORM", "INVALID", "SelfRegisterState"]

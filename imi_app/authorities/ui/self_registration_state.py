"""Self-registration through an invitation link: no one is signed in; the signed link is the only key."""

from __future__ import annotations

from typing import Any

import reflex as rx

from imi_app.core.i18n import available_languages, country_name
from imi_app.core.errors import ServiceError
from imi_app.authorities.invitations import INVALID, InvitationInfo, InvitationProblem, open_invitation, self_register
from imi_app.ui.base import AppState, run
from imi_app.authorities.ui.coordination_common import NameRowsMixin, area_rows, authority_input, language_options

# What the page shows: the form, the link's problem, or the confirmation.
CHECKING, FORM, DONE = "checking", "form", "done"


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
        if problem.language in available_languages():  # a real link: the refusal in the invitation's language
            self.lang = problem.language
        self.link, self.problem = problem.reason, self._tr(problem.message)
        self.coordinator = self.country = self.email = ""
        self.areas, self.name_rows = [], []

    @rx.event
    async def open_register(self):
        self.link, self.problem, self.errors, self.registered, self.busy = CHECKING, "", {}, "", False
        self.name_rows = []
        try:  # no one is signed in: the link in the URL is the only key
            info: InvitationInfo = await run(open_invitation, token=self._token())
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
            name = (await run(self_register, token=self._token(), data=data)).official_name
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

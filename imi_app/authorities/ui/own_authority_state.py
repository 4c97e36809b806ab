"""My authority's contact data and the outgoing e-mail to its users."""

from __future__ import annotations

from typing import Any, ClassVar

import reflex as rx

from imi_app.core.formats import Formats
from imi_app.core.i18n import N_, country_name, language_name
from imi_app.authorities.models import Authority
from imi_app.accounts.models import User
from imi_app.authorities.own_authority import (
    AUTHORITY_LANGUAGES, AuthorityContact, own_authority, update_own_authority,
)
from imi_app.core.errors import Denied
from imi_app.accounts.outbox import PAGE_SIZE, authority_mail
from imi_app.ui.common import LOADING, NO_ACCESS, READY, PagedList, form_value
from imi_app.ui.base import AppState, run

SAVED = N_("Your authority's data has been saved.")


class AuthorityState(AppState):
    access: str = LOADING
    errors: dict[str, str] = {}
    form_key: int = 0
    official_name: str = ""
    country: str = ""
    contact_email: str = ""
    address: str = ""
    phone: str = ""
    languages: list[str] = []

    @rx.var
    def language_options(self) -> list[list[str]]:
        return [[code, language_name(code)] for code in AUTHORITY_LANGUAGES]

    def _show(self, authority: Authority) -> None:
        self.official_name, self.country = authority.official_name, country_name(authority.country_code, self.lang)
        self.contact_email, self.address, self.phone = authority.contact_email, authority.address, authority.phone
        self.languages = [code for code in authority.languages.split(",") if code]
        self.form_key += 1

    @rx.event
    async def open_authority(self):
        self.access, self.errors = LOADING, {}
        opened = await self._open_page()
        if not opened.ok:
            return opened.events
        try:
            self._show(await run(own_authority, actor=opened.actor))
        except Denied:
            self.official_name = self.contact_email = self.address = self.phone = ""
            self.access = NO_ACCESS
            return None
        self.access = READY
        return None

    @rx.event
    async def save(self, form: dict):
        languages = [code for code in AUTHORITY_LANGUAGES if form_value(form, f"lang:{code}") in ("on", True)]
        # Wrong types go through as sent: the service refuses them beside the field.
        data = AuthorityContact(contact_email=form_value(form, "contact_email"),  # type: ignore[arg-type]
                                address=form_value(form, "address"),  # type: ignore[arg-type]
                                phone=form_value(form, "phone"), languages=languages)  # type: ignore[arg-type]
        outcome = await self._perform(update_own_authority, data=data)
        if not outcome.ok:
            return outcome.events
        self._show(outcome.value)
        self.errors = {}
        return rx.toast.success(self._tr(SAVED))


def _mail_row(row, fmt: Formats) -> dict[str, Any]:
    return {"id": row.id, "time": fmt.moment(row.created_at), "recipient": row.recipient, "subject": row.subject,
            "status": row.status, "attempts": row.attempts, "error": row.last_error}


class OutboxState(PagedList, AppState):
    page_size: ClassVar[int] = PAGE_SIZE
    mails: list[dict[str, Any]] = []

    def _clear(self) -> None:
        self.mails, self.total = [], 0

    async def _read(self, actor: User) -> None:
        rows, self.total = await run(authority_mail, actor=actor, page=self.page)
        fmt = self._formats()
        self.mails = [_mail_row(r, fmt) for r in rows]

    @rx.event
    async def open_outbox(self):
        return await self._reopen()

    @rx.event
    async def refresh(self):
        return await self._load()

"""My authority's contact data and the outgoing e-mail to its users."""

from __future__ import annotations

from typing import Any, ClassVar

import reflex as rx
from sqlmodel import Session

from imi_app.core import routes
from imi_app.core.db import session_scope
from imi_app.core.i18n import country_name, language_name
from imi_app.authorities.models import Authority
from imi_app.accounts.models import User
from imi_app.authorities.own_authority import AUTHORITY_LANGUAGES, AuthorityContact, update_own_authority
from imi_app.core.errors import Denied, ServiceError
from imi_app.accounts.outbox import PAGE_SIZE, list_authority_mail
from imi_app.policy import require
from imi_app.ui.common import LOADING, NO_ACCESS, READY, PagedList, form_value, utc_text
from imi_app.ui.base import AppState


def _signed_in_or_redirect(state: AppState):
    """(user, None) when signed in, else (None, the redirect to return)."""
    redirect = state.require_user()
    if redirect is not None:
        return None, redirect
    user = state._active_user()
    return (user, None) if user is not None else (None, rx.redirect(routes.LOGIN, replace=True))


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
    def open_authority(self):
        self.access, self.errors = LOADING, {}
        user, redirect = _signed_in_or_redirect(self)
        if user is None:
            return redirect
        try:
            with session_scope() as session:
                authority = session.get(Authority, user.authority_id)
                require(session, user, "authority.edit_own", authority, "authority", user.authority_id)
                self._show(authority)
        except Denied:
            self.official_name = self.contact_email = self.address = self.phone = ""
            self.access = NO_ACCESS
            return None
        self.access = READY
        return None

    @rx.event
    def save(self, form: dict):
        user = self._active_user()
        if user is None:
            return rx.redirect(routes.LOGIN, replace=True)
        languages = [code for code in AUTHORITY_LANGUAGES if form_value(form, f"lang:{code}") in ("on", True)]
        # Wrong types go through as sent: the service refuses them beside the field.
        data = AuthorityContact(contact_email=form_value(form, "contact_email"),  # type: ignore[arg-type]
                                address=form_value(form, "address"),  # type: ignore[arg-type]
                                phone=form_value(form, "phone"), languages=languages)  # type: ignore[arg-type]
        try:
            with session_scope() as session:
                self._show(update_own_authority(session, actor=user, data=data))
        except ServiceError as error:
            return self._form_refused(error)
        self.errors = {}
        return rx.toast.success(self._tr("Your authority's data has been saved."))


def _mail_row(row) -> dict[str, Any]:
    return {"id": row.id, "time": utc_text(row.created_at), "recipient": row.recipient, "subject": row.subject,
            "status": row.status, "attempts": row.attempts, "error": row.last_error}


class OutboxState(PagedList, AppState):
    page_size: ClassVar[int] = PAGE_SIZE
    mails: list[dict[str, Any]] = []

    def _clear(self) -> None:
        self.mails, self.total = [], 0

    def _read(self, session: Session, user: User) -> None:
        rows, self.total = list_authority_mail(session, actor=user, page=self.page)
        self.mails = [_mail_row(r) for r in rows]

    @rx.event
    async def open_outbox(self):
        return await self._reopen()

    @rx.event
    async def refresh(self):
        return await self._load()

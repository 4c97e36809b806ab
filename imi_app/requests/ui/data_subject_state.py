"""The data subject screen's state: the search typed, the exchanges found, the correction and erasure dialogs,
the exports. Every handler acts as the signed-in user, so the service checks the permission again each time."""

from __future__ import annotations

import reflex as rx

from imi_app.accounts.models import User
from imi_app.core.errors import Denied, ServiceError, ValidationFailed
from imi_app.core.i18n import N_, country_name
from imi_app.requests.data_subject import (
    FIELDS, GROUNDS, SubjectCriteria, SubjectHit, correct_person_data, erase_early, find_subject, parse_criteria,
)
from imi_app.requests.lifecycle import STATUS_LABELS
from imi_app.requests.subject_export import export_subject
from imi_app.requests.ui.request_view import shown_subject
from imi_app.core import routes
from imi_app.ui.base import AppState, run
from imi_app.ui.common import NO_ACCESS, SignedInView, id_from_text

CORRECT, ERASE = "correct", "erase"
FOUND = N_("{count} exchanges found.")
FOUND_ONE = N_("One exchange found.")
MORE = N_("Only the newest {count} are shown: narrow the search.")
CORRECTED = N_("Corrected. The other authority's local data administrators were told.")
ERASED = N_("The personal data of the exchange was erased.")
SEARCH_REFUSED = N_("Check the search fields.")


class DataSubjectState(SignedInView, AppState):
    name: str = ""
    birth_date: str = ""
    identifier: str = ""
    errors: dict[str, str] = {}
    searched: bool = False
    hits: list[dict[str, str]] = []
    summary: str = ""
    dialog: str = ""  # CORRECT | ERASE | ""
    dialog_case: str = ""
    busy: bool = False
    fields: list[list[str]] = []
    grounds: list[list[str]] = []
    _criteria: SubjectCriteria | None = None
    _target: int | None = None

    def _clear(self) -> None:
        self.hits, self.summary, self.searched = [], "", False
        self.dialog, self.dialog_case, self._target, self.busy = "", "", None, False

    def _shown(self, hit: SubjectHit) -> dict[str, str]:
        fmt = self._formats()
        return {
            "id": str(hit.request_id), "case_id": hit.case_id, "href": routes.request_page(hit.request_id),
            "subject": shown_subject(hit.subject, self.lang), "status": hit.status,
            "status_label": self._tr(STATUS_LABELS.get(hit.status, hit.status)), "area": hit.area_name,
            "direction": self._tr(N_("Sent to") if hit.outgoing else N_("Received from")),
            "counterpart": hit.counterpart, "country": country_name(hit.counterpart_country, self.lang),
            "person": hit.full_name, "born": fmt.day(hit.birth_date), "number": hit.registration_number,
            "blocked": self._tr(N_("Blocked on {date}"), date=fmt.day(hit.blocked_at.date()))
            if hit.blocked_at else "",
            "may_change": "1" if hit.may_change else "",
        }

    async def _read(self, actor: User) -> None:
        self.fields = [[name, self._tr(label)] for name, label in FIELDS.items()]
        self.grounds = [[name, self._tr(label)] for name, label in GROUNDS.items()]
        if self._criteria is None:
            self.hits, self.summary, self.searched = [], "", False
            # The permission is asked here too: the page is for local data administrators only.
            if not actor.is_lda:
                raise Denied()
            return
        hits, more = await run(find_subject, actor=actor, criteria=self._criteria, language=self.lang)
        self.hits, self.searched = [self._shown(h) for h in hits], True
        count = len(hits)
        self.summary = (self._tr(FOUND_ONE) if count == 1 else self._tr(FOUND, count=count)) + (
            " " + self._tr(MORE, count=count) if more else "")

    @rx.event
    async def open_page(self):
        self.name = self.birth_date = self.identifier = ""
        self.errors, self._criteria = {}, None
        return await self._reopen()

    @rx.event
    async def search(self, form: dict):
        """The search typed: checked first (a wrong value is named beside its field, the list stays)."""
        if isinstance(form, dict):
            self.name = str(form.get("name", ""))[:300]
            self.birth_date = str(form.get("birth_date", ""))[:20]
            self.identifier = str(form.get("identifier", ""))[:100]
        try:
            criteria = parse_criteria(self.name, self.birth_date, self.identifier)
        except ValidationFailed as error:
            self.errors = self._field_errors(error)
            return rx.toast.error(self._tr(SEARCH_REFUSED))
        self.errors, self._criteria = {}, criteria
        return await self._load()

    @rx.event
    async def download(self, kind: str):
        """The file for the person, made again from the search with the permission checked again."""
        if self._criteria is None or kind not in ("json", "pdf"):
            return None
        actor = await self._actor()
        if actor is None:
            self._clear()
            return self._to_login()
        try:
            file = await run(export_subject, actor=actor, criteria=self._criteria, kind=kind, language=self.lang)
        except Denied:
            self._clear()
            self.access = NO_ACCESS
            return None
        except ValidationFailed as error:  # nothing found, or no PDF fonts: the reason, where the buttons are
            return rx.toast.error(self._tr(next(iter(error.errors.values()), error.message)))
        return rx.download(data=file.data, filename=file.filename, mime_type=file.mime_type)

    def _open(self, name: str, request_id: str) -> None:
        target = id_from_text(request_id)
        hit = next((h for h in self.hits if h["id"] == request_id and h["may_change"]), None)
        if target is None or hit is None:
            return
        self.dialog, self.dialog_case, self._target, self.errors = name, hit["case_id"], target, {}

    @rx.event
    def ask_correct(self, request_id: str):
        self._open(CORRECT, request_id)

    @rx.event
    def ask_erase(self, request_id: str):
        self._open(ERASE, request_id)

    @rx.event
    def set_dialog_open(self, value: bool):
        if value is not True:
            self.dialog, self.dialog_case, self._target, self.errors = "", "", None, {}

    async def _change(self, fn, done: str, **kwargs):
        if self._target is None or self.busy:
            return None
        actor = await self._actor()
        if actor is None:
            self._clear()
            return self._to_login()
        self.busy = True
        try:
            await run(fn, actor=actor, request_id=self._target, **kwargs)
        except ValidationFailed as error:
            self.errors = self._field_errors(error)
            return None
        except ServiceError as error:
            self.dialog, self._target = "", None
            await self._load()
            return self._fail(error)
        finally:
            self.busy = False
        self.dialog, self.dialog_case, self._target, self.errors = "", "", None, {}
        await self._load()
        return rx.toast.success(self._tr(done))

    @rx.event
    async def correct(self, form: dict):
        form = form if isinstance(form, dict) else {}
        return await self._change(correct_person_data, CORRECTED, field=form.get("field", ""),
                                  value=form.get("value", ""), reason=form.get("reason", ""))

    @rx.event
    async def erase(self, form: dict):
        form = form if isinstance(form, dict) else {}
        return await self._change(erase_early, ERASED, ground=form.get("ground", ""), reason=form.get("reason", ""))


__all__ = ["CORRECT", "DataSubjectState", "ERASE"]

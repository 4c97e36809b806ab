"""The request form: a new request or a draft; save it, add the chosen files, and send it."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

import reflex as rx

from imi_app.core import routes
from imi_app.core.errors import Conflict, Denied, ServiceError, ValidationFailed
from imi_app.core.i18n import N_, country_name
from imi_app.core.settings import get_settings
from imi_app.requests import reads, service
from imi_app.requests.detail import RequestDetail
from imi_app.requests.frame import StepResult
from imi_app.requests.inputs import DraftInput, PersonInput
from imi_app.requests.models import RequestStatus
from imi_app.requests.steps import SENT, TO_COORDINATOR
from imi_app.requests.ui.files import refused_message
from imi_app.requests.ui.request_page_state import MAX_FILES_AT_ONCE
from imi_app.requests.ui.request_view import day, file_size
from imi_app.ui.base import AppState, run
from imi_app.ui.common import LOADING, NO_ACCESS, NOT_FOUND, READY, form_value, id_from_text

UPLOAD_ID = "request-files"
ATTACH_TRIGGER = "attach-selected"  # a hidden button that sends the files chosen in the browser
SAVED = N_("The draft has been saved.")
FILE_REFUSED = N_("Nothing has been saved: a file was refused. Remove it or choose another one.")
PERSON_FIELDS = ("full_name", "birth_date", "nationality", "registration_number", "address", "other_details")


def _draft_input(area_id: object, responder_id: str, form: object) -> DraftInput:
    """The form as sent; wrong types go through for the service to refuse beside the field."""
    ticked = form.items() if isinstance(form, dict) else []
    person = PersonInput(kind=form_value(form, "person_kind") or "person",  # type: ignore[arg-type]
                         **{name: form_value(form, f"person_{name}") for name in PERSON_FIELDS})  # type: ignore[arg-type]
    person.birth_date = person.birth_date or None
    return DraftInput(area_id=area_id,  # type: ignore[arg-type]
                      responding_authority_id=id_from_text(responder_id) if responder_id else None,  # type: ignore[arg-type]
                      subject=form_value(form, "subject"), free_text=form_value(form, "free_text"),  # type: ignore[arg-type]
                      proposed_reply_date=form_value(form, "proposed_reply_date") or None,  # type: ignore[arg-type]
                      question_ids=[id_from_text(key[2:]) for key, value in ticked  # type: ignore[misc]
                                    if isinstance(key, str) and key.startswith("q:") and value in ("on", True)],
                      person=person)


class RequestFormState(AppState):
    access: str = LOADING
    busy: bool = False
    form_key: int = 0
    errors: dict[str, str] = {}
    areas: list[list[str]] = []
    area_id: str = ""
    questions: list[dict[str, Any]] = []
    draft: dict[str, str] = {}  # the saved draft's values, shown in the fields
    responder_query: str = ""
    responder_results: list[list[str]] = []
    responder_id: str = ""
    responder_name: str = ""
    files: list[dict[str, Any]] = []  # files the draft already has
    file_error: str = ""
    case_id: str = ""
    _intent: str = "draft"
    _pending: DraftInput | None = None  # the form as submitted, saved with the files the upload brings
    _request_id: int | None = None
    _version: int = 0

    @rx.var
    def max_upload(self) -> int:
        return get_settings().attachment_max_bytes

    @rx.var
    def editing(self) -> bool:
        return self.case_id != ""

    def _clear(self) -> None:
        self.errors, self.areas, self.area_id, self.questions, self.draft = {}, [], "", [], {}
        self.responder_query, self.responder_results, self.responder_id, self.responder_name = "", [], "", ""
        self.files, self.file_error, self.case_id, self.busy = [], "", "", False
        self.draft = {"person_kind": "person"}
        self._request_id, self._version, self._intent, self._pending = None, 0, "draft", None
        self.form_key += 1

    async def _signed_in(self):
        """The reader for a handler that asks nothing of the domain; None (the form forgotten) without one."""
        actor = await self._actor()
        if actor is None:
            self._clear()
        return actor

    def _gone(self):
        self._clear()
        return self._to_login()

    async def _start(self):
        self._clear()
        self.access = LOADING
        return await self._open_page()

    def _show_choices(self, choices: reads.AreaChoices) -> None:
        self.questions = [{"id": str(i), "text": text, "checked": False} for i, text, _kind in choices.questions]
        self._show_responders(choices.responders)
        self.responder_id = self.responder_name = ""
        self.form_key += 1

    def _show_responders(self, rows: list[tuple[int, str, str]]) -> None:
        self.responder_results = [[str(i), name, country] for i, name, country in rows]

    @rx.event
    async def open_new(self):
        opened = await self._start()
        if not opened.ok:
            return opened.events
        form = None
        if self.can_create_request:  # a request handler somewhere: which of the authority's areas, asked below
            form = await run(reads.new_request_form, actor=opened.actor, language=self.lang)
        if form is None or not form.areas or form.first is None:
            self.access = NO_ACCESS
            return None
        self.areas = [[str(i), name] for i, name in form.areas]
        self.area_id = self.areas[0][0]
        self._show_choices(form.first)
        self.access = READY
        return None

    @rx.event
    async def open_edit(self):
        opened = await self._start()
        if not opened.ok:
            return opened.events
        parts = unquote(self.router.url.path.rstrip("/")).split("/")
        request_id = id_from_text(parts[2]) if len(parts) > 3 else None
        try:
            form = await run(reads.draft_form, actor=opened.actor, request_id=request_id, language=self.lang)
        except Denied:
            self._clear()
            self.access = NOT_FOUND
            return None
        if not form.editable:
            return rx.redirect(routes.request_page(form.detail.id), replace=True)
        self._show_draft(form.detail, form.questions)
        self.access = READY
        return None

    def _show_draft(self, d: RequestDetail, questions: list[tuple[int, str, str]]) -> None:
        self._request_id, self._version, self.case_id = d.id, d.version, d.case_id
        self.areas, self.area_id = [[str(d.area_id), d.area_name]], str(d.area_id)
        chosen = {q.question_id for q in d.questions}
        self.questions = [{"id": str(i), "text": text, "checked": i in chosen} for i, text, _kind in questions]
        p = d.person
        self.draft = {"subject": d.subject, "free_text": d.free_text, "proposed_reply_date": day(d.proposed_reply_date),
                      "person_kind": p.kind if p else "person",
                      **{f"person_{name}": (day(getattr(p, name)) if name == "birth_date" else getattr(p, name))
                         if p else "" for name in PERSON_FIELDS}}
        if d.responding.id:
            self.responder_id = str(d.responding.id)
            self.responder_name = f"{d.responding.name} ({country_name(d.responding.country_code, self.lang)})"
        self.files = [{"id": str(f.id), "name": f.name, "size": file_size(f.size), "href": routes.file_download(f.id),
                       "side": "", "removable": True} for f in d.attachments]
        self.form_key += 1

    @rx.event
    async def set_area(self, value: str):
        if self._request_id is not None or not any(value == row[0] for row in self.areas):
            # a draft keeps its area; anything else is not one of the offered areas
            return self._gone() if await self._signed_in() is None else None
        outcome = await self._perform(reads.area_choices, refused=self._fail, area_id=int(value),
                                      text=self.responder_query, language=self.lang)
        if not outcome.ok:
            return outcome.events
        self.area_id = value
        self._show_choices(outcome.value)
        return None

    @rx.event
    async def search_responder(self, text: str):
        self.responder_query = text[:100] if isinstance(text, str) else ""
        outcome = await self._perform(reads.responder_search, refused=self._fail, area_id=id_from_text(self.area_id),
                                      text=self.responder_query, language=self.lang)
        if not outcome.ok:
            return outcome.events
        self._show_responders(outcome.value)
        return None

    @rx.event
    async def choose_responder(self, authority_id: str):
        if await self._signed_in() is None:
            return self._to_login()
        match = [row for row in self.responder_results if row[0] == authority_id]
        if match:
            self.responder_id, self.responder_name = match[0][0], f"{match[0][1]} ({match[0][2]})"
            self.errors = {k: v for k, v in self.errors.items() if k != "responding_authority_id"}
        return None

    @rx.event
    def change_responder(self):
        self.responder_id = self.responder_name = ""

    @rx.event
    def set_intent(self, intent: str):
        self._intent = "send" if intent == "send" else "draft"

    def _refused(self, error: ServiceError):
        if isinstance(error, ValidationFailed):
            self.errors = {("person_full_name" if key == "person" else key.replace(".", "_")): self._tr(message)
                           for key, message in error.errors.items()}
        elif isinstance(error, Denied):
            self._clear()
            self.access = NOT_FOUND
        elif isinstance(error, Conflict) and self._request_id is not None:
            return [self._fail(error), rx.redirect(routes.request_edit(self._request_id))]
        return self._fail(error)

    @rx.event
    async def save(self, form: dict):
        if self.access != READY or self.busy:
            return self._gone() if await self._signed_in() is None else None
        data = _draft_input(id_from_text(self.area_id), self.responder_id, form)
        if str(form_value(form, "file_count")) not in ("", "0"):
            # The browser sends the chosen files next; the draft, its files and the sending are saved there,
            # together or not at all.
            self._pending = data
            return rx.call_script(f"document.getElementById('{ATTACH_TRIGGER}').click()")
        sending = self._intent == "send"
        outcome = await self._perform(service.save_and_submit if sending else service.save_draft,
                                      refused=self._refused, request_id=self._request_id,
                                      expected_version=self._version, data=data)
        if not outcome.ok:
            return outcome.events
        return self._finish(outcome.value, sending)

    @rx.event
    async def attach_selected(self, files: list[rx.UploadFile]):
        actor = await self._signed_in()
        if actor is None:
            yield self._to_login()
            return
        data, self._pending = self._pending, None
        if data is None or not isinstance(files, list):
            return
        limit, self.file_error = get_settings().attachment_max_bytes, ""
        chosen = [(getattr(f, "name", None) or "", await f.read(limit + 1)) for f in files[:MAX_FILES_AT_ONCE]]
        sending = self._intent == "send"
        try:
            saved = await run(service.save_with_files, actor=actor, request_id=self._request_id,
                              expected_version=self._version, data=data, files=chosen, send=sending)
        except service.FileRefused as error:
            self.file_error = f"{error.filename}: {self._tr(next(iter(error.errors.values()), error.message))}"
            yield rx.toast.error(self._tr(FILE_REFUSED))
            return
        except ServiceError as error:
            yield self._refused(error)
            return
        yield rx.clear_selected_files(UPLOAD_ID)
        yield self._finish(saved, sending)

    def _finish(self, saved: StepResult, sent: bool):
        """After saving (with the files, and sending if asked): show the request."""
        self._clear()
        if not sent:
            return [rx.toast.success(self._tr(SAVED)), rx.redirect(routes.request_page(saved.request_id))]
        waiting = saved.status == RequestStatus.AWAITING_APPROVAL
        return [rx.toast.success(self._tr(TO_COORDINATOR if waiting else SENT), duration=8000),
                rx.redirect(routes.request_page(saved.request_id))]

    @rx.event
    async def files_refused(self, codes: list[str]):
        """The browser refused files before sending them (too large, or too many at once)."""
        if await self._signed_in() is not None:
            message, params = refused_message(codes)
            self.file_error = self._tr(message, **params)

    @rx.event
    def clear_files(self):
        self.file_error = ""
        return rx.clear_selected_files(UPLOAD_ID)

    @rx.event
    async def remove_file(self, attachment_id: str):
        outcome = await self._perform(service.remove_file, refused=self._fail, attachment_id=id_from_text(attachment_id))
        if not outcome.ok:
            return outcome.events
        self.files = [f for f in self.files if f["id"] != attachment_id]
        return None

    @rx.event
    def leave(self):
        self._clear()

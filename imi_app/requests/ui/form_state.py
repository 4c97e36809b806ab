"""The request form: a new request or a draft; save it, add the chosen files, and send it."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

import reflex as rx
from sqlmodel import Session, select

from imi_app.core import routes
from imi_app.core.db import session_scope
from imi_app.core.i18n import N_, country_name, localized
from imi_app.authorities.models import Authority
from imi_app.requests.models import Question, RequestStatus
from imi_app.accounts.models import Role, User
from imi_app.requests import actions as rq
from imi_app.requests.attachments import delete_attachment, save_attachment
from imi_app.authorities.directory import search_authorities
from imi_app.core.errors import Conflict, Denied, ServiceError, ValidationFailed
from imi_app.requests.detail import RequestDetail, request_detail
from imi_app.requests.inputs import DraftInput, PersonInput
from imi_app.accounts.users import areas_of_authority, user_roles
from imi_app.core.settings import get_settings
from imi_app.ui.common import LOADING, NO_ACCESS, NOT_FOUND, READY, form_value, id_from_text
from imi_app.ui.base import AppState
from imi_app.requests.ui.request_page_state import MAX_FILES_AT_ONCE, SENT, TO_COORDINATOR
from imi_app.requests.ui.request_view import day, file_size

UPLOAD_ID = "request-files"
ATTACH_TRIGGER = "attach-selected"  # a hidden button that sends the files chosen in the browser
MAX_RESPONDERS = 8
SAVED = N_("The draft has been saved.")
FILE_REFUSED = N_("The draft has been saved, but a file was refused. Remove it or choose another one.")
PERSON_FIELDS = ("full_name", "birth_date", "nationality", "registration_number", "address", "other_details")


def question_set(session: Session, area_id: int, language: str) -> list[tuple[int, str, str]]:
    """(id, text in the reader's language, answer type) of an area's questions, in their order."""
    rows = session.exec(select(Question).where(Question.area_id == area_id).order_by(Question.position,
                                                                                    Question.id)).all()
    return [(q.id, localized(q.texts, language, q.code), q.answer_type)
            for q in rows]  # type: ignore[misc]


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
        self._request_id, self._version, self._intent = None, 0, "draft"
        self.form_key += 1

    def _actor(self) -> User | None:
        actor = self._active_user()
        if actor is None:
            self._clear()
        return actor

    def _start(self):
        self._clear()
        self.access = LOADING
        redirect = self.require_user()
        if redirect is not None:
            return None, redirect
        actor = self._actor()
        return actor, None if actor else rx.redirect(routes.LOGIN, replace=True)

    @rx.event
    def open_new(self):
        actor, redirect = self._start()
        if actor is None:
            return redirect
        with session_scope() as session:
            roles = user_roles(session, actor.id)
            self.areas = [[str(a.id), a.name_in(self.lang)] for a in areas_of_authority(session, actor.authority_id)
                          if Role.REQUEST_HANDLER in roles.get(a.id, [])]
        if not self.areas:
            self.access = NO_ACCESS
            return None
        self.access = READY
        return self.set_area(self.areas[0][0])

    @rx.event
    def open_edit(self):
        actor, redirect = self._start()
        if actor is None:
            return redirect
        parts = unquote(self.router.url.path.rstrip("/")).split("/")
        request_id = id_from_text(parts[2]) if len(parts) > 3 else None
        try:
            with session_scope() as session:
                detail = request_detail(session, actor=actor, request_id=request_id,  # type: ignore[arg-type]
                                        language=self.lang)
                if "edit_draft" not in detail.actions:
                    return rx.redirect(routes.request_page(detail.id), replace=True)
                self._show_draft(session, detail)
        except Denied:
            self._clear()
            self.access = NOT_FOUND
            return None
        self.access = READY
        return None

    def _show_draft(self, session: Session, d: RequestDetail) -> None:
        self._request_id, self._version, self.case_id = d.id, d.version, d.case_id
        self.areas, self.area_id = [[str(d.area_id), d.area_name]], str(d.area_id)
        chosen = {q.question_id for q in d.questions}
        self.questions = [{"id": str(i), "text": text, "checked": i in chosen}
                          for i, text, _kind in question_set(session, d.area_id, self.lang)]
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
    def set_area(self, value: str):
        actor = self._actor()
        if actor is None:
            return rx.redirect(routes.LOGIN, replace=True)
        if self._request_id is not None or not any(value == row[0] for row in self.areas):
            return None  # a draft keeps its area; anything else is not one of the offered areas
        self.area_id = value
        with session_scope() as session:
            self.questions = [{"id": str(i), "text": text, "checked": False}
                              for i, text, _kind in question_set(session, int(value), self.lang)]
        self.responder_id = self.responder_name = ""
        self.form_key += 1
        return self.search_responder(self.responder_query)

    @rx.event
    def search_responder(self, text: str):
        actor = self._actor()
        if actor is None:
            return rx.redirect(routes.LOGIN, replace=True)
        self.responder_query = text[:100] if isinstance(text, str) else ""
        area = id_from_text(self.area_id)
        try:
            with session_scope() as session:
                own = session.get(Authority, actor.authority_id)
                rows, _total = search_authorities(session, actor=actor, text=self.responder_query, area_id=area,
                                                  page_size=100, language=self.lang)
        except ServiceError:
            self.responder_results = []
            return None
        self.responder_results = [[str(r.id), r.official_name, r.country_name] for r in rows
                                  if own is None or r.country_code != own.country_code][:MAX_RESPONDERS]
        return None

    @rx.event
    def choose_responder(self, authority_id: str):
        if self._actor() is None:
            return rx.redirect(routes.LOGIN, replace=True)
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

    def _refused(self, error: ServiceError, actor: User):
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
    def save(self, form: dict):
        actor = self._actor()
        if actor is None:
            return rx.redirect(routes.LOGIN, replace=True)
        if self.access != READY or self.busy:
            return None
        data = _draft_input(id_from_text(self.area_id), self.responder_id, form)
        try:
            with session_scope() as session:
                if self._request_id is None:
                    result = rq.create_draft(session, actor=actor, data=data)
                else:
                    result = rq.update_draft(session, actor=actor, request_id=self._request_id,
                                             expected_version=self._version, data=data)
        except ServiceError as error:
            return self._refused(error, actor)
        self._request_id, self._version, self.case_id, self.errors = result.request_id, result.version, \
            result.case_id, {}
        if str(form_value(form, "file_count")) not in ("", "0"):
            return rx.call_script(f"document.getElementById('{ATTACH_TRIGGER}').click()")
        return self._finish(actor)

    @rx.event
    async def attach_selected(self, files: list[rx.UploadFile]):
        actor = self._actor()
        if actor is None:
            yield rx.redirect(routes.LOGIN, replace=True)
            return
        if self._request_id is None or not isinstance(files, list):
            return
        limit, self.file_error = get_settings().attachment_max_bytes, ""
        chosen = [(getattr(f, "name", None) or "", await f.read(limit + 1)) for f in files[:MAX_FILES_AT_ONCE]]
        name = ""
        try:
            with session_scope() as session:  # all the chosen files, or none of them
                for name, data in chosen:
                    save_attachment(session, actor=actor, request_id=self._request_id, filename=name, data=data)
        except ValidationFailed as error:
            self.file_error = f"{name}: {self._tr(next(iter(error.errors.values()), error.message))}"
            yield rx.toast.error(self._tr(FILE_REFUSED))
            return
        except ServiceError as error:
            yield self._refused(error, actor)
            return
        yield rx.clear_selected_files(UPLOAD_ID)
        yield self._finish(actor)

    def _finish(self, actor: User):
        """After saving (and adding the files): send it if asked, then show the request."""
        request_id = self._request_id
        if self._intent != "send":
            self._clear()
            return [rx.toast.success(self._tr(SAVED)), rx.redirect(routes.request_page(request_id))]
        try:
            with session_scope() as session:
                result = rq.submit(session, actor=actor, request_id=request_id, expected_version=self._version)
        except ServiceError as error:
            return self._refused(error, actor)
        waiting = result.status == RequestStatus.AWAITING_APPROVAL
        self._clear()
        return [rx.toast.success(self._tr(TO_COORDINATOR if waiting else SENT), duration=8000),
                rx.redirect(routes.request_page(request_id))]

    @rx.event
    def files_refused(self, rejected: list):
        """The browser refused files before sending them (too large): the service's own message."""
        if self._actor() is not None:
            self.file_error = self._tr(N_("The file is larger than the allowed size."))

    @rx.event
    def clear_files(self):
        self.file_error = ""
        return rx.clear_selected_files(UPLOAD_ID)

    @rx.event
    def remove_file(self, attachment_id: str):
        actor = self._actor()
        if actor is None:
            return rx.redirect(routes.LOGIN, replace=True)
        try:
            with session_scope() as session:
                delete_attachment(session, actor=actor, attachment_id=id_from_text(attachment_id))  # type: ignore[arg-type]
        except ServiceError as error:
            return self._fail(error)
        self.files = [f for f in self.files if f["id"] != attachment_id]
        return None

    @rx.event
    def leave(self):
        self._clear()

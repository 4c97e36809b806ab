"""One request's page: what this reader may see of it, and the steps they may take now (each with its version)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

import reflex as rx

from imi_app.core import routes
from imi_app.core.db import session_scope
from imi_app.core.i18n import N_
from imi_app.requests.models import RequestStatus
from imi_app.accounts.models import User
from imi_app.requests import notifications
from imi_app.requests import actions as rq
from imi_app.requests.attachments import delete_attachment, save_attachment
from imi_app.authorities.directory import search_authorities
from imi_app.core.errors import Conflict, Denied, ServiceError, ValidationFailed
from imi_app.requests.detail import RequestDetail, request_detail
from imi_app.requests.inputs import NOT_VALID, REQUIRED
from imi_app.requests.lifecycle import TRANSITIONS
from imi_app.core.settings import get_settings
from imi_app.requests.ui import request_view as view
from imi_app.ui.common import LOADING, NOT_FOUND, READY, form_value, id_from_text
from imi_app.ui.base import AppState

MAX_FILES_AT_ONCE = 10
ANSWER_FIELD = re.compile(r"^answer_(\d{1,12})$")
STEPS = {
    "submit": rq.submit, "approve_request": rq.approve_request, "reject_request": rq.reject_request,
    "withdraw": rq.withdraw, "allocate": rq.allocate, "forward": rq.forward, "accept": rq.accept,
    "insist": rq.insist, "approve_answer": rq.approve_answer, "reject_answer": rq.reject_answer,
    "accept_answer": rq.accept_answer, "request_more_info": rq.request_more_info,
    "start_referral": rq.start_referral, "give_opinion": rq.give_opinion, "delete_draft": rq.delete_draft,
}
DONE = {
    "approve_request": N_("The request has been approved."), "reject_request": N_("The request has been returned."),
    "withdraw": N_("The request has been withdrawn."), "allocate": N_("The allocation has been saved."),
    "forward": N_("The request has been forwarded."), "accept": N_("The request has been accepted."),
    "insist": N_("Your reply has been sent."), "approve_answer": N_("The answer has been approved."),
    "reject_answer": N_("The answer has been returned."), "accept_answer": N_("The request is closed."),
    "request_more_info": N_("Your question has been sent."), "start_referral": N_("The referral has started."),
    "give_opinion": N_("Your opinion has been recorded."), "delete_draft": N_("The draft has been deleted."),
}
SENT = N_("The request has been sent.")
APPROVED_AND_SENT = N_("The request has been approved and sent to the responding authority.")
TO_COORDINATOR = N_("The request has gone to your coordinator for approval. It is sent once approved.")
ANSWER_SENT = N_("The answer has been sent.")
ANSWER_TO_COORDINATOR = N_("The answer has gone to your coordinator for approval. It is released once approved.")
FILE_ADDED = N_("The file has been added.")
FILE_REMOVED = N_("The file has been removed.")


def _arguments(name: str, form: object) -> dict[str, Any]:
    """The step's arguments from its dialog, as sent (the service checks them)."""
    if not isinstance(form, dict):
        raise ValidationFailed({"form": NOT_VALID})
    if name in ("reject_request", "reject_answer", "withdraw"):
        return {"reason": form_value(form, "reason")}
    if name in ("insist", "start_referral"):
        return {"note": form_value(form, "note")}
    if name == "request_more_info":
        return {"note": form_value(form, "note"), "reply_date": form_value(form, "reply_date") or None}
    if name == "give_opinion":
        return {"opinion": form_value(form, "opinion"), "note": form_value(form, "note")}
    if name == "forward":
        return {"to_authority_id": id_from_text(form_value(form, "to_authority_id")), "note": form_value(form, "note")}
    if name == "accept":
        choice = form_value(form, "reply_choice")
        if choice == "proposed":
            return {"reply_date": None}
        if choice != "other":
            raise ValidationFailed({"reply_choice": NOT_VALID})
        chosen = form_value(form, "reply_date")
        if chosen in ("", None):
            raise ValidationFailed({"reply_date": REQUIRED})
        return {"reply_date": chosen}
    if name == "allocate":
        return {"user_ids": [id_from_text(key[6:]) for key, value in form.items()
                             if isinstance(key, str) and key.startswith("alloc:") and value in ("on", True)]}
    return {}


def _answers(form: object) -> dict[object, object]:
    """{question id: answer} from the "answer_<id>" fields; other fields of the form are not answers."""
    found: dict[object, object] = {}
    for key, value in (form.items() if isinstance(form, dict) else []):
        match = ANSWER_FIELD.match(key) if isinstance(key, str) else None
        if match:
            found[id_from_text(match.group(1))] = value
    return found


class RequestPageState(AppState):
    access: str = LOADING
    busy: bool = False
    form_key: int = 0
    info: dict[str, Any] = {}
    overdue: bool = False
    status: str = ""
    questions: list[dict[str, str]] = []
    person: dict[str, str] = {}
    has_person: bool = False
    files: list[dict[str, Any]] = []
    timeline: list[dict[str, str]] = []
    opinions: list[dict[str, str]] = []
    buttons: list[dict[str, str]] = []
    can_attach: bool = False
    can_answer: bool = False
    answering: bool = False
    dialog: str = ""  # the action whose dialog is open
    dialog_title: str = ""
    dialog_text: str = ""
    dialog_color: str = "indigo"
    dialog_confirm: str = ""
    dialog_note_label: str = ""
    dialog_fields: list[str] = []
    choices: list[list[str]] = []  # forward: [id, name]; allocate: [id, name, "1" when allocated now]
    errors: dict[str, str] = {}
    upload_error: str = ""
    _request_id: int | None = None
    _version: int = 0
    _actions: tuple[str, ...] = ()
    _area_id: int = 0
    _responding: tuple[int, str] = (0, "")
    _allocated: tuple[int, ...] = ()

    @rx.var
    def max_upload(self) -> int:
        return get_settings().attachment_max_bytes

    def _route_id(self) -> object:
        parts = unquote(self.router.url.path.rstrip("/")).split("/")
        return id_from_text(parts[2]) if len(parts) > 2 else None

    def _clear(self) -> None:
        self.info, self.overdue, self.status, self.questions, self.person = {}, False, "", [], {}
        self.has_person = False
        self.files, self.timeline, self.opinions, self.buttons, self.choices = [], [], [], [], []
        self.can_attach = self.can_answer = self.answering = False
        self.dialog, self.dialog_fields, self.errors, self.upload_error = "", [], {}, ""
        self._request_id, self._version, self._actions, self._allocated = None, 0, (), ()

    def _show(self, d: RequestDetail) -> None:
        language = self.lang
        self._request_id, self._version, self._actions = d.id, d.version, d.actions
        self._area_id, self._responding = d.area_id, (d.responding.id, d.responding.country_code)
        self._allocated = tuple(user_id for user_id, _name in d.allocated)
        self.can_attach = any(name in d.actions for name in view.NOT_BUTTONS)
        self.can_answer = "answer" in d.actions
        self.answering = self.answering and self.can_answer
        self.info, self.overdue, self.status = view.header(d, language), d.overdue, d.status
        self.questions, self.person, self.has_person = view.questions(d, language), view.person(d), d.person is not None
        self.files, self.timeline = view.files(d, language, self.can_attach), view.timeline(d, language)
        self.opinions, self.buttons = view.opinions(d, language), view.buttons(d, language)
        self.form_key += 1

    def _load(self, actor: User) -> None:
        try:
            with session_scope() as session:
                self._show(request_detail(session, actor=actor, request_id=self._route_id(),  # type: ignore[arg-type]
                                          language=self.lang))
        except Denied:
            self._clear()
            self.access = NOT_FOUND
            return
        self.access = READY

    def _actor(self) -> User | None:
        actor = self._active_user()
        if actor is None:
            self._clear()
        return actor

    @rx.event
    def open_request(self):
        self._clear()
        self.access, self.busy = LOADING, False
        redirect = self.require_user()
        if redirect is not None:
            return redirect
        actor = self._actor()
        if actor is None:
            return rx.redirect(routes.LOGIN, replace=True)
        self._load(actor)
        wanted = self.router.url.query_parameters.get("action", "")
        if self.access == READY and wanted and any(b["name"] == wanted for b in self.buttons):
            return self.open_action(wanted)
        return None

    def _refused(self, error: ServiceError, actor: User):
        """A refused step: Denied shows "not found"; a conflict reloads what changed; bad input stays beside fields."""
        if isinstance(error, Denied):
            self._clear()
            self.access = NOT_FOUND
        elif isinstance(error, Conflict):
            self.dialog, self.errors = "", {}
            self._load(actor)
        elif isinstance(error, ValidationFailed):
            self.errors = self._field_errors(error)
        return self._fail(error)

    @rx.event
    def open_action(self, name: str):
        actor = self._actor()
        if actor is None:
            return rx.redirect(routes.LOGIN, replace=True)
        if not isinstance(name, str) or name not in self._actions:
            return None
        if name == "edit_draft":
            return rx.redirect(routes.request_edit(self._request_id))
        if name == "answer":
            self.answering, self.errors = True, {}
            return rx.scroll_to("answer-form")
        form = view.ACTION_FORMS.get(name)
        if form is None:
            return None
        self.choices = self._choices(actor, name)
        self.dialog_title, self.dialog_text = self._tr(form.title), self._tr(form.text)
        self.dialog_fields, self.dialog_color = list(form.fields), form.color
        self.dialog_confirm, self.dialog_note_label = self._tr(TRANSITIONS[name].label), self._tr(form.note_label)
        self.dialog, self.errors = name, {}
        return None

    def _choices(self, actor: User, name: str) -> list[list[str]]:
        with session_scope() as session:
            if name == "forward":
                rows, _total = search_authorities(session, actor=actor, country=self._responding[1],
                                                  area_id=self._area_id, page_size=100, language=self.lang)
                return [[str(r.id), r.official_name] for r in rows if r.id != self._responding[0]]
            if name == "allocate":
                return [[str(u.id), u.full_name, "1" if u.id in self._allocated else ""]
                        for u in notifications.handlers(session, self._responding[0], self._area_id)]
        return []

    @rx.event
    def set_dialog_open(self, value: bool):
        if value is not True:
            self.dialog, self.errors, self.choices = "", {}, []

    @rx.event
    def cancel_answer(self):
        self.answering, self.errors = False, {}

    @rx.event
    def do_action(self, form: dict):
        actor = self._actor()
        if actor is None:
            return rx.redirect(routes.LOGIN, replace=True)
        name = self.dialog
        if name not in STEPS or name not in self._actions or self.busy:
            return None
        try:
            with session_scope() as session:
                result = STEPS[name](session, actor=actor, request_id=self._request_id,
                                     expected_version=self._version, **_arguments(name, form))
        except ServiceError as error:
            return self._refused(error, actor)
        self.dialog, self.errors, self.choices = "", {}, []
        if name == "delete_draft":
            self._clear()
            return [rx.toast.success(self._tr(DONE[name])), rx.redirect(routes.HOME)]
        self._load(actor)
        if name == "submit":
            return rx.toast.success(self._tr(TO_COORDINATOR if result.status == RequestStatus.AWAITING_APPROVAL
                                             else SENT))
        if name == "approve_request" and result.status == RequestStatus.SENT:
            return rx.toast.success(self._tr(APPROVED_AND_SENT))
        return rx.toast.success(self._tr(DONE[name]))

    @rx.event
    def submit_answer(self, form: dict):
        actor = self._actor()
        if actor is None:
            return rx.redirect(routes.LOGIN, replace=True)
        if not self.can_answer:
            return None
        reply = form_value(form, "reply")
        try:
            with session_scope() as session:
                result = rq.answer(session, actor=actor, request_id=self._request_id, expected_version=self._version,
                                   answers=_answers(form), reply=reply)  # type: ignore[arg-type]
        except ServiceError as error:
            return self._refused(error, actor)
        self.answering, self.errors = False, {}
        self._load(actor)
        waiting = result.status == RequestStatus.ANSWER_AWAITING_APPROVAL
        return rx.toast.success(self._tr(ANSWER_TO_COORDINATOR if waiting else ANSWER_SENT))

    @rx.event
    async def upload(self, files: list[rx.UploadFile]):
        actor = self._actor()
        if actor is None:
            yield rx.redirect(routes.LOGIN, replace=True)
            return
        if not self.can_attach or not isinstance(files, list):
            return
        self.upload_error = ""
        limit, added = get_settings().attachment_max_bytes, 0
        for file in files[:MAX_FILES_AT_ONCE]:
            name = getattr(file, "name", None) or ""
            data = await file.read(limit + 1)  # one byte more than allowed is enough to refuse it
            try:
                with session_scope() as session:
                    save_attachment(session, actor=actor, request_id=self._request_id,  # type: ignore[arg-type]
                                    filename=name, data=data)
            except ValidationFailed as error:
                self.upload_error = f"{name}: {self._tr(next(iter(error.errors.values()), error.message))}"
                break
            except ServiceError as error:
                yield self._refused(error, actor)
                return
            added += 1
        self._load(actor)
        if added:
            yield rx.toast.success(self._tr(FILE_ADDED))

    @rx.event
    def files_refused(self, rejected: list):
        """The browser refused files before sending them (too large): the service's own message."""
        if self._actor() is not None:
            self.upload_error = self._tr(N_("The file is larger than the allowed size."))

    @rx.event
    def remove_file(self, attachment_id: str):
        actor = self._actor()
        if actor is None:
            return rx.redirect(routes.LOGIN, replace=True)
        try:
            with session_scope() as session:
                delete_attachment(session, actor=actor, attachment_id=id_from_text(attachment_id))  # type: ignore[arg-type]
        except ServiceError as error:
            return self._refused(error, actor)
        self._load(actor)
        return rx.toast.success(self._tr(FILE_REMOVED))

    @rx.event
    def leave(self):
        self._clear()

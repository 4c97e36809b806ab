"""One request's page: what this reader may see of it, and the steps they may take now (each with its version)."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

import reflex as rx

from imi_app.accounts.models import User
from imi_app.core import routes
from imi_app.core.errors import Conflict, Denied, ServiceError, ValidationFailed
from imi_app.core.i18n import N_
from imi_app.core.settings import get_settings
from imi_app.core.edges import is_id
from imi_app.requests import blocking, reads, service
from imi_app.requests.attachments import MAX_FILES_AT_ONCE
from imi_app.requests.detail import RequestDetail
from imi_app.requests.lifecycle import TRANSITIONS
from imi_app.requests.steps import SENT, STEPS, TO_COORDINATOR
from imi_app.requests.ui import request_view as view
from imi_app.requests.ui.files import refused_message
from imi_app.ui.base import AppState, run
from imi_app.ui.common import LOADING, NOT_FOUND, READY, id_from_text

OPEN_BLOCKED = "open_blocked_data"  # the dialog that asks why blocked personal data is to be opened
OPENED = N_("The blocked personal data is shown for this view only. Your reason is in the audit log.")
FILE_ADDED = N_("The file has been added.")
FILE_REMOVED = N_("The file has been removed.")
__all__ = ["FILE_ADDED", "FILE_REMOVED", "MAX_FILES_AT_ONCE", "RequestPageState", "SENT", "TO_COORDINATOR"]


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
    may_open_blocked: bool = False
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
        self.can_attach = self.can_answer = self.answering = self.may_open_blocked = False
        self.dialog, self.dialog_fields, self.errors, self.upload_error = "", [], {}, ""
        self._request_id, self._version, self._actions = None, 0, ()

    def _not_found(self) -> None:
        self._clear()
        self.access = NOT_FOUND

    def _show(self, d: RequestDetail) -> None:
        language = self.lang
        self._request_id, self._version, self._actions = d.id, d.version, d.actions
        self.can_attach = any(name in d.actions for name in view.NOT_BUTTONS)
        self.can_answer = "answer" in d.actions
        self.may_open_blocked = d.may_open_blocked
        self.answering = self.answering and self.can_answer
        fmt = self._formats()
        self.info, self.overdue, self.status = view.header(d, language, fmt), d.overdue, d.status
        self.questions, self.has_person = view.questions(d, language, fmt), d.person is not None
        self.person = view.person(d, fmt)
        self.files, self.timeline = view.files(d, language, fmt, self.can_attach), view.timeline(d, language, fmt)
        self.opinions, self.buttons = view.opinions(d, language, fmt), view.buttons(d, language)
        self.form_key += 1
        self.access = READY

    async def _reload(self, actor: User, request_id: object = None) -> None:
        """The page as it is now; "not found" when the reader may no longer see it."""
        wanted = self._request_id if request_id is None else request_id
        try:
            self._show(await run(reads.request_page, actor=actor, request_id=wanted, language=self.lang))
        except Denied:
            self._not_found()

    def _gone(self):
        """The session ended: nothing of the request stays shown."""
        self._clear()
        return self._to_login()

    @rx.event
    async def open_request(self):
        self._clear()
        self.access, self.busy = LOADING, False
        opened = await self._open_page()
        if not opened.ok:
            return opened.events
        await self._reload(opened.actor, self._route_id())
        wanted = self.router.url.query_parameters.get("action", "")
        if self.access == READY and wanted and any(b["name"] == wanted for b in self.buttons):
            return await self.open_action(wanted)
        return None

    async def _refused(self, error: ServiceError, actor: User):
        """A refused step: Denied shows "not found"; a conflict reloads what changed; bad input stays beside fields."""
        if isinstance(error, Denied):
            self._not_found()
        elif isinstance(error, Conflict):
            self.dialog, self.errors = "", {}
            await self._reload(actor)
        elif isinstance(error, ValidationFailed):
            self.errors = self._field_errors(error)
        return self._fail(error)

    async def _call(self, fn, **kwargs):
        """`fn` for the signed-in reader: (value, actor, None), or (None, None, the events to return)."""
        outcome = await self._perform(fn, refused=lambda error: error, **kwargs)
        if outcome.ok:
            return outcome.value, outcome.actor, None
        if isinstance(outcome.events, ServiceError):
            return None, None, await self._refused(outcome.events, outcome.actor)
        self._clear()
        return None, None, outcome.events

    @rx.event
    async def open_action(self, name: str):
        step = STEPS.get(name) if isinstance(name, str) and name in self._actions else None
        if step is None or step.dialog is None:  # nothing to ask the domain: still only for a signed-in reader
            if await self._actor() is None:
                return self._gone()
        if not isinstance(name, str) or name not in self._actions:
            return None
        if name == "edit_draft":
            return rx.redirect(routes.request_edit(self._request_id))
        if name == "answer":
            self.answering, self.errors = True, {}
            return rx.scroll_to("answer-form")
        if step is None or step.dialog is None:
            return None
        choices, _actor, events = await self._call(reads.step_choices, request_id=self._request_id, name=name,
                                           language=self.lang)
        if events is not None:
            return events
        self.choices = [[str(i), label, "1" if marked else ""] if name == "allocate" else [str(i), label]
                        for i, label, marked in choices]
        form = step.dialog
        self.dialog_title, self.dialog_text = self._tr(form.title), self._tr(form.text)
        self.dialog_fields, self.dialog_color = list(form.fields), form.color
        self.dialog_confirm, self.dialog_note_label = self._tr(TRANSITIONS[name].label), self._tr(form.note_label)
        self.dialog, self.errors = name, {}
        return None

    @rx.event
    async def ask_open_blocked(self):
        """The reason dialog for opening blocked personal data (the service checks again who may)."""
        if await self._actor() is None:
            return self._gone()
        if not self.may_open_blocked:
            return None
        self.dialog_title = self._tr(N_("Open the blocked personal data"))
        self.dialog_text = self._tr(N_("Blocked data may be opened only to prove this exchange or with the consent "
                                       "of the person concerned. Say why: your reason is kept in the audit log, and "
                                       "the local data administrators of both authorities see it on the timeline."))
        self.dialog_fields, self.dialog_color, self.choices = ["reason"], "crimson", []
        self.dialog_confirm, self.dialog_note_label = self._tr(N_("Open for this view")), ""
        self.dialog, self.errors = OPEN_BLOCKED, {}
        return None

    async def _open_blocked(self, form: object):
        reason = form.get("reason", "") if isinstance(form, dict) else ""
        page, _actor, events = await self._call(blocking.open_blocked_data, request_id=self._request_id,
                                                reason=reason, language=self.lang)
        if events is not None:
            return events
        self.dialog, self.errors = "", {}
        self._show(page)
        return rx.toast.success(self._tr(OPENED))

    @rx.event
    def set_dialog_open(self, value: bool):
        if value is not True:
            self.dialog, self.errors, self.choices = "", {}, []

    @rx.event
    def cancel_answer(self):
        self.answering, self.errors = False, {}

    async def _step(self, name: str, form: object):
        """Parses the step's form here, then takes the step and reads the page again in one action."""
        step = STEPS[name]
        try:
            arguments = step.arguments(form)
        except ValidationFailed as error:
            actor = await self._actor()
            return self._gone() if actor is None else await self._refused(error, actor)
        done, actor, events = await self._call(service.take_step, name=name, request_id=self._request_id,
                                        expected_version=self._version, arguments=arguments, language=self.lang)
        if events is not None:
            return events
        self.dialog, self.errors, self.choices, self.answering = "", {}, [], False
        if name == "delete_draft":
            self._clear()
            return [rx.toast.success(self._tr(step.done)), rx.redirect(routes.HOME)]
        done_message = rx.toast.success(self._tr(step.message(done.result.status)))
        if done.page is not None:
            self._show(done.page)
            return done_message
        await self._reload(actor)  # asked again, so the refusal is audited as on opening the page
        if self.access != READY:  # no longer theirs to read: back to the task list, with what was done
            self._clear()
            self.access = LOADING
            return [done_message, rx.redirect(routes.HOME)]
        return done_message

    @rx.event
    async def do_action(self, form: dict):
        name = self.dialog
        if name == OPEN_BLOCKED and self.may_open_blocked and not self.busy:
            return await self._open_blocked(form)
        if name not in STEPS or name not in self._actions or STEPS[name].dialog is None or self.busy:
            actor = await self._actor()
            return self._gone() if actor is None else None
        return await self._step(name, form)

    @rx.event
    async def submit_answer(self, form: dict):
        if not self.can_answer:
            actor = await self._actor()
            return self._gone() if actor is None else None
        return await self._step("answer", form)

    @rx.event
    async def upload(self, files: list[rx.UploadFile]):
        actor = await self._actor()
        if actor is None:
            yield self._gone()
            return
        if not self.can_attach or not isinstance(files, list) or not is_id(self._request_id):
            return
        self.upload_error = ""
        limit, added = get_settings().attachment_max_bytes, 0
        for file in files[:MAX_FILES_AT_ONCE]:
            name = getattr(file, "name", None) or ""
            data = await file.read(limit + 1)  # one byte more than allowed is enough to refuse it
            try:  # each file on its own: those before a refused one stay added
                await run(service.add_file, actor=actor, request_id=self._request_id, filename=name, data=data)
            except ValidationFailed as error:
                self.upload_error = f"{name}: {self._tr(next(iter(error.errors.values()), error.message))}"
                break
            except ServiceError as error:
                yield await self._refused(error, actor)
                return
            added += 1
        await self._reload(actor)
        if added:
            yield rx.toast.success(self._tr(FILE_ADDED))

    @rx.event
    async def files_refused(self, codes: list[str]):
        """The browser refused files before sending them (too large, or too many at once)."""
        if await self._actor() is not None:
            message, params = refused_message(codes)
            self.upload_error = self._tr(message, **params)

    @rx.event
    async def remove_file(self, attachment_id: str):
        _nothing, actor, events = await self._call(service.remove_file, attachment_id=id_from_text(attachment_id))
        if events is not None:
            return events
        await self._reload(actor)
        return rx.toast.success(self._tr(FILE_REMOVED))

    @rx.event
    def leave(self):
        self._clear()

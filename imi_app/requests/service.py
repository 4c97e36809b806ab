"""The request screens' changes, each one action (one transaction): save a draft, save and send it, add and
remove files, and take any step of the lifecycle with the page as it is afterwards.

The steps themselves (actions.py, answering.py, attachments.py) run inside their caller's transaction;
scripts and other features call those with their own session. The screens call these instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from imi_app.accounts.models import User
from imi_app.core.actions import action
from imi_app.core.errors import ValidationFailed
from imi_app.policy import can
from imi_app.requests import actions as rq
from imi_app.requests.attachments import AttachmentInfo, delete_attachment, save_attachment
from imi_app.requests.detail import RequestDetail, detail_of
from imi_app.requests.frame import StepResult
from imi_app.requests.inputs import NOT_VALID, DraftInput
from imi_app.requests.models import InfoRequest
from imi_app.requests.steps import STEPS


class FileRefused(ValidationFailed):
    """One of several files was refused: `filename` says which; none of them was added."""

    def __init__(self, filename: str, error: ValidationFailed) -> None:
        super().__init__(error.errors)
        self.filename = filename


@dataclass(frozen=True)
class StepDone:
    """A step's result and the page as the actor sees it now (None: gone, or no longer theirs to read)."""

    result: StepResult | None
    page: RequestDetail | None


def _save(session: Session, actor: User, request_id: int | None, expected_version: int,
          data: DraftInput) -> StepResult:
    if request_id is None:
        return rq.create_draft(session, actor=actor, data=data)
    return rq.update_draft(session, actor=actor, request_id=request_id, expected_version=expected_version, data=data)


@action
def save_draft(session: Session, *, actor: User, request_id: int | None, expected_version: int,
               data: DraftInput) -> StepResult:
    """A new draft (request_id None) or the draft's new content."""
    return _save(session, actor, request_id, expected_version, data)


@action
def save_and_submit(session: Session, *, actor: User, request_id: int | None, expected_version: int,
                    data: DraftInput) -> StepResult:
    """"Save and send": the draft as the form has it, sent, or nothing at all when sending is refused."""
    saved = _save(session, actor, request_id, expected_version, data)
    return rq.submit(session, actor=actor, request_id=saved.request_id, expected_version=saved.version)


@action
def save_with_files(session: Session, *, actor: User, request_id: int | None, expected_version: int,
                    data: DraftInput, files: list[tuple[str, bytes]], send: bool) -> StepResult:
    """Save (or "save and send") with the files chosen on the form: the draft, every file and the sending
    together, or nothing at all when any of them is refused."""
    saved = _save(session, actor, request_id, expected_version, data)
    for name, content in files:
        try:
            save_attachment(session, actor=actor, request_id=saved.request_id, filename=name, data=content)
        except ValidationFailed as error:
            raise FileRefused(name, error) from None
    if not send:
        return saved
    return rq.submit(session, actor=actor, request_id=saved.request_id, expected_version=saved.version)


@action
def add_file(session: Session, *, actor: User, request_id: int, filename: str, data: bytes) -> AttachmentInfo:
    return save_attachment(session, actor=actor, request_id=request_id, filename=filename, data=data)


@action
def remove_file(session: Session, *, actor: User, attachment_id: int) -> None:
    delete_attachment(session, actor=actor, attachment_id=attachment_id)


@action
def take_step(session: Session, *, actor: User, name: str, request_id: int, expected_version: int,
              arguments: dict, language: str) -> StepDone:
    """One step of STEPS with the arguments its parser made; the page afterwards, read in the same
    transaction while the actor may still see the request (a refusal to read would undo the step)."""
    step = STEPS.get(name) if isinstance(name, str) else None
    if step is None or not isinstance(arguments, dict):
        raise ValidationFailed({"form": NOT_VALID})
    result = step.service(session, actor=actor, request_id=request_id, expected_version=expected_version,
                          **arguments)
    request = session.get(InfoRequest, request_id) if result is not None else None
    if request is None or not can(session, actor, "request.view", request):
        return StepDone(result, None)
    return StepDone(result, detail_of(session, actor, request, language))


__all__ = ["FileRefused", "StepDone", "add_file", "remove_file", "save_and_submit", "save_draft", "save_with_files",
           "take_step"]

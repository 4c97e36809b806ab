"""The frame of every request step: lock the row, check version, state and rights, then bump, record and audit."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from imi_app.core.i18n import N_
from imi_app.requests import figures
from imi_app.requests.models import InfoRequest, RequestEvent
from imi_app.accounts.models import User
from imi_app.core.time import utcnow
from imi_app.requests import rules as _rules  # noqa: F401 - registers the request rules
from imi_app.policy import can
from imi_app.core import audit
from imi_app.core.errors import Conflict
from imi_app.core.edges import is_id
from imi_app.requests.lifecycle import GUARDS, REQUESTER, RESPONDER, TRANSITIONS, state_of
from imi_app.policy import deny

STALE = N_("This request was changed by someone else. Reload it and try again.")
NOT_NOW = N_("This step is not possible in the request's current state. Reload it to see what changed.")
CASE_ID_LOCK = 4_242_001  # PostgreSQL advisory lock key: case ids are numbered one transaction at a time
OBJECT_TYPE = "info_request"


@dataclass(frozen=True)
class StepResult:
    """What a step returns: enough for the page to reload the request at its new version."""

    request_id: int
    case_id: str
    status: str
    version: int


def denied(session: Session, actor: User, action: str, request_id: object) -> Exception:
    return deny(session, actor, f"request.{action}", OBJECT_TYPE, request_id if is_id(request_id)
                else repr(request_id)[:40])


def load_for_update(session: Session, actor: User, request_id: object, action: str, *,
                    lock: bool = True) -> InfoRequest:
    """The request row, locked until the transaction ends (SQLite's BEGIN IMMEDIATE already serialises
    writers); Denied — audited — when it does not exist or the actor may not see it."""
    if not is_id(request_id):
        raise denied(session, actor, action, request_id)
    query = select(InfoRequest).where(InfoRequest.id == request_id)
    request = session.exec((query.with_for_update() if lock else query)
                           .execution_options(populate_existing=True)).first()
    if request is None or not can(session, actor, "request.view", request):
        raise denied(session, actor, action, request_id)
    return request


def begin(session: Session, actor: User, request_id: object, expected_version: object, action: str) -> InfoRequest:
    """Locks the request and refuses a stale version, a step the state machine does not allow now,
    or an actor without the capacity for it; nothing is changed when it raises."""
    request = load_for_update(session, actor, request_id, action)
    if not is_id(expected_version) or expected_version != request.version:
        raise Conflict(STALE)
    transition = TRANSITIONS[action]
    guard = GUARDS.get(transition.guard) if transition.guard else None
    if state_of(request) not in transition.sources or (guard is not None and not guard(request)):
        raise Conflict(NOT_NOW)
    if not can(session, actor, f"request.{action}", request):
        raise denied(session, actor, action, request_id)
    return request


def record_event(session: Session, actor: User | None, request: InfoRequest, kind: str, *, note: str = "",
                 data: dict | None = None, internal: str | None = None) -> RequestEvent:
    """A timeline entry; `internal` (REQUESTER or RESPONDER) keeps it to that side and its coordinators."""
    assert internal in (None, REQUESTER, RESPONDER)
    payload = dict(data or {})
    if internal:
        payload["internal"] = internal
    event = RequestEvent(request_id=request.id, actor_user_id=actor.id if actor else None,
                         actor_authority_id=actor.authority_id if actor else None, kind=kind, note=note,
                         data=payload or None)
    session.add(event)
    return event


def finish(session: Session, actor: User, request: InfoRequest, action: str, *, status: str, note: str = "",
           data: dict | None = None, internal: str | None = None, event: str | None = None,
           audit_after: dict | None = None) -> StepResult:
    """Moves the request to `status`, bumps version and updated_at, and writes the timeline and audit rows."""
    assert status in TRANSITIONS[action].targets, (action, status)
    before = {"status": request.status, "version": request.version}
    request.status = status
    request.version += 1
    request.updated_at = utcnow()
    session.add(request)
    record_event(session, actor, request, event or action, note=note, data=data, internal=internal)
    # Only state: notes and reasons may name people, and the audit log outlives the request's personal data.
    audit.record(session, action=f"request.{action}", actor=actor, object_type=OBJECT_TYPE, object_id=request.id,
                 before=before, after={"status": status, "version": request.version, "case_id": request.case_id,
                                       **(audit_after or {})})
    figures.refresh(session, request)  # the scoreboard's row, in the same transaction as the step
    session.flush()
    return StepResult(request.id, request.case_id, request.status, request.version)  # type: ignore[arg-type]


def next_case_id(session: Session, year: int) -> str:
    """IMI-<year>-<6 digits>, the next free number of the year."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": CASE_ID_LOCK})
    prefix = f"IMI-{year}-"
    last = session.exec(select(InfoRequest.case_id).where(
        InfoRequest.case_id >= f"{prefix}000000", InfoRequest.case_id <= f"{prefix}999999")
        .order_by(InfoRequest.case_id.desc()).limit(1)).first()  # type: ignore[attr-defined]
    number = int(last[-6:]) + 1 if last and last[-6:].isdigit() else 1
    if number > 999_999:
        raise Conflict(N_("No case id is left for this year. Ask your system administrator."))
    return f"{prefix}{number:06d}"


__all__ = ["NOT_NOW", "STALE", "StepResult", "begin", "denied", "finish", "load_for_update", "next_case_id",
           "record_event"]

"""What nobody answers is chased. An approval, or a referral opinion, that waits on a coordinator more than
`escalation_working_days` working days (Monday to Friday) is reminded to that coordinator's staff; after twice
as long it is escalated to the staff of the coordinator above it (a national coordinator, having none above,
is told again itself). Each step happens once per waiting round: it is recorded on the request's timeline,
which is also how a second worker, or the next run, knows it was done. The request page shows whom the request
waits on, since when.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from imi_app.authorities.models import Authority
from imi_app.core import audit
from imi_app.core.db import session_scope
from imi_app.core.jobs import repeat
from imi_app.core.settings import get_settings
from imi_app.core.time import as_utc, utcnow
from imi_app.requests.lifecycle import APPROVAL_EVENTS, pending_approvers
from imi_app.requests.models import InfoRequest, ReferralOpinion, RequestEvent, RequestStatus
from imi_app.requests.notifications import coordinator_staff, notify

REMINDED, ESCALATED = "coordinator_reminded", "coordinator_escalated"
APPROVAL, OPINION = "approval", "opinion"
WAITING_STATUSES = (*APPROVAL_EVENTS, RequestStatus.IN_REFERRAL)
BATCH = 200


@dataclass(frozen=True)
class Waiting:
    coordinator_id: int
    since: datetime
    what: str  # APPROVAL | OPINION


def working_days(since: datetime, now: datetime) -> int:
    """Monday-to-Friday days from the day after `since` up to and including `now`'s day (UTC)."""
    first, last = as_utc(since).date() + timedelta(days=1), as_utc(now).date()
    if last < first:
        return 0
    days = (last - first).days + 1
    whole_weeks, rest = divmod(days, 7)
    count = whole_weeks * 5
    for offset in range(rest):
        if (first + timedelta(days=whole_weeks * 7 + offset)).weekday() < 5:
            count += 1
    return count


def _round_start(events: list, request) -> datetime | None:
    """When the current approver became due: the round's start or the approval before theirs, the later."""
    start, done = APPROVAL_EVENTS[request.status]
    moments = [e.at for e in events if e.kind in (start, done)]
    return as_utc(moments[-1]) if moments else None


def waiting_on(session: Session, requests: list) -> dict[int, list[Waiting]]:
    """Request id -> the coordinators it waits on now, each since when (for requests, or rows with their id
    and status)."""
    relevant = [r for r in requests if r.status in WAITING_STATUSES and r.id is not None]
    if not relevant:
        return {}
    ids = [r.id for r in relevant]
    events: dict[int, list] = {}  # request id -> its (request_id, kind, at) rows of these kinds, oldest first
    for event in session.exec(select(RequestEvent.request_id, RequestEvent.kind, RequestEvent.at).where(
            col(RequestEvent.request_id).in_(ids), col(RequestEvent.kind).in_(
                {k for pair in APPROVAL_EVENTS.values() for k in pair} | {"referral_started"}))
            .order_by(RequestEvent.id)).all():
        events.setdefault(event.request_id, []).append(event)
    due = pending_approvers(session, [r for r in relevant if r.status in APPROVAL_EVENTS])
    open_opinions: dict[int, list[int]] = {}
    for request_id, coordinator_id in session.exec(select(ReferralOpinion.request_id, ReferralOpinion.coordinator_id)
                                                   .where(col(ReferralOpinion.request_id).in_(ids),
                                                          col(ReferralOpinion.at).is_(None))
                                                   .order_by(ReferralOpinion.coordinator_id)).all():
        open_opinions.setdefault(request_id, []).append(coordinator_id)
    result: dict[int, list[Waiting]] = {}
    for request in relevant:
        own = events.get(request.id, [])  # type: ignore[arg-type]
        if request.status in APPROVAL_EVENTS:
            since, coordinator = _round_start(own, request), due.get(request.id)  # type: ignore[arg-type]
            if since and coordinator:
                result[request.id] = [Waiting(coordinator, since, APPROVAL)]  # type: ignore[index]
        else:
            started = [e.at for e in own if e.kind == "referral_started"]
            if started:
                result[request.id] = [Waiting(c, as_utc(started[-1]), OPINION)  # type: ignore[index, arg-type]
                                      for c in open_opinions.get(request.id, [])]  # type: ignore[arg-type]
    return result


def _done(events: list[RequestEvent], kind: str, waiting: Waiting) -> bool:
    key = waiting.since.isoformat()
    return any(e.kind == kind and (e.data or {}).get("coordinator_id") == waiting.coordinator_id
               and (e.data or {}).get("since") == key for e in events)


def _chase_one(session: Session, request: InfoRequest, waiting: Waiting, now: datetime, limit: int) -> int:
    days = working_days(waiting.since, now)
    if days < limit:
        return 0
    steps = session.exec(select(RequestEvent).where(RequestEvent.request_id == request.id, col(
        RequestEvent.kind).in_((REMINDED, ESCALATED)))).all()
    coordinator = session.get(Authority, waiting.coordinator_id)
    sent = 0
    for kind, threshold in ((REMINDED, limit), (ESCALATED, 2 * limit)):
        if days < threshold or _done(list(steps), kind, waiting):
            continue
        told = coordinator.parent_coordinator_id if kind == ESCALATED and coordinator else None
        staff = coordinator_staff(session, told or waiting.coordinator_id, request.area_id)
        data = {"coordinator_id": waiting.coordinator_id, "since": waiting.since.isoformat(), "what": waiting.what,
                "days": days, "told_id": told or waiting.coordinator_id}
        session.add(RequestEvent(request_id=request.id, at=now, kind=kind, data=data))
        notify(session, request=request, kind=kind, users=staff, actor=None,
               extra={"coordinator": coordinator.official_name if coordinator else "", "days": str(days),
                      "since": waiting.since.date().isoformat()})
        audit.record(session, action=f"request.{kind}", actor=None, object_type="info_request",
                     object_id=request.id, after=data)
        sent += 1
    return sent


def chase_waiting(session: Session, *, now: datetime | None = None, after_id: int = 0) -> tuple[int, int | None]:
    """One batch of waiting requests from `after_id` on: the reminders and escalations due, and the last id of
    the batch (None when it was the last batch)."""
    now = as_utc(now) if now else utcnow()
    limit = get_settings().escalation_working_days
    requests = list(session.exec(select(InfoRequest).where(col(InfoRequest.status).in_(WAITING_STATUSES),
                                                           InfoRequest.id > after_id)
                                 .order_by(InfoRequest.id).limit(BATCH).with_for_update(skip_locked=True)).all())
    sent = 0
    for request_id, items in waiting_on(session, requests).items():
        request = next(r for r in requests if r.id == request_id)
        for waiting in items:
            sent += _chase_one(session, request, waiting, now, limit)
    last = requests[-1].id if len(requests) == BATCH else None
    return sent, last


def chase_all(*, now: datetime | None = None, url: str | None = None) -> int:
    """Every waiting request, a batch per transaction; returns the reminders and escalations sent."""
    sent, after = 0, 0
    while after is not None:
        with session_scope(url) as session:
            done, after = chase_waiting(session, now=now, after_id=after)
        sent += done
    return sent


async def run_escalation_jobs() -> None:
    """Lifespan task: chases what waits on coordinators every `request_jobs_poll_seconds`."""
    await repeat(chase_all, name="escalation of waiting approvals and opinions")


def waited_days(since: datetime, now: datetime | None = None) -> int:
    return working_days(since, now or utcnow())


def escalated(since: datetime, now: datetime | None = None) -> bool:
    return working_days(since, now or utcnow()) >= 2 * get_settings().escalation_working_days


__all__ = ["APPROVAL", "ESCALATED", "OPINION", "REMINDED", "Waiting", "chase_all", "chase_waiting", "escalated",
           "run_escalation_jobs", "waited_days", "waiting_on", "working_days"]


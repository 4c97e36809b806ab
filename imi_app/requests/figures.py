"""What the scoreboard counts of each request, derived from its timeline alone (docs/INDICATORS.md).

`refresh` rewrites one request's row of `request_figures` inside the transaction of every step (frame.finish),
so the dashboards read one small row per request instead of walking timelines; `rebuild` derives every row
again from the timelines and reports (and with fix=True repairs) each difference.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from imi_app.authorities.models import Authority
from imi_app.core.time import as_utc, local_date
from imi_app.requests.models import InfoRequest, RequestEvent, RequestFigures

ACCEPT_WITHIN = timedelta(days=7)
RECEIVED = ("sent", "forwarded")  # and "request_approved" when it sent the request (data "sent")
CLOSED = ("answer_accepted", "withdrawn")  # and "referral_decided" when it closed the request
FIELDS = ("area_id", "requesting_authority_id", "responding_authority_id", "status", "received_at", "accepted_at",
          "accept_due_at", "accepted_in_time", "answered_at", "answer_days", "agreed_reply_date", "answered_on_time",
          "closed_at", "timeliness", "efforts")
F = RequestFigures
# The scoreboard's five indicators (scoreboard.indicators holds their titles and thresholds).
INDICATOR_KEYS = ("accepting", "answering", "agreed_date", "timeliness", "efforts")
# Of the requests an indicator counts, those that score (its numerator); speed in answering averages days instead.
SCORING = {"accepting": col(F.accepted_in_time).is_(True), "agreed_date": col(F.answered_on_time).is_(True),
           "timeliness": F.timeliness == "negative", "efforts": F.efforts == "negative"}


# The moment each indicator counts a request from: a request counts in the period its moment falls in.
MOMENT = {"accepting": F.received_at, "answering": F.answered_at, "agreed_date": F.answered_at,
          "timeliness": F.closed_at, "efforts": F.closed_at}


def counted(key: str, start: datetime, end: datetime, now: datetime) -> sa.ColumnElement[bool]:
    """The requests indicator `key` counts in the period [start, end): its denominator, as a condition on
    request_figures. The one definition: the scoreboard counts with it, the overview lists with it."""
    moment = MOMENT[key]
    return sa.and_(moment >= start, moment < end, counted_at_moment(key, now))


def counted_at_moment(key: str, now: datetime) -> sa.ColumnElement[bool]:
    """counted() without its period, for a query that already keeps to rows whose MOMENT[key] is in it."""
    if key == "accepting":  # withdrawn before acceptance within the 7 days: no due time, never counted
        return sa.and_(col(F.accept_due_at).is_not(None),
                       sa.or_(col(F.accepted_in_time).is_(True), col(F.accept_due_at) <= now))
    if key == "answering":
        return col(F.answer_days).is_not(None)
    if key == "agreed_date":
        return col(F.answered_on_time).is_not(None)
    if key in ("timeliness", "efforts"):  # closed and rated
        return col(F.timeliness).is_not(None)
    raise ValueError(key)


def in_period(start: datetime, end: datetime) -> sa.ColumnElement[bool]:
    """Any indicator could count the request in [start, end): received, answered or closed then."""
    return sa.or_(*(sa.and_(c >= start, c < end) for c in (F.received_at, F.answered_at, F.closed_at)))


def _data(event: RequestEvent) -> dict:
    return event.data if isinstance(event.data, dict) else {}


def _received(event: RequestEvent) -> bool:
    return event.kind in RECEIVED or (event.kind == "request_approved" and bool(_data(event).get("sent")))


def _released(event: RequestEvent) -> bool:
    return event.kind in ("answered", "answer_approved") and "released" in _data(event)


def _closed(event: RequestEvent) -> bool:
    return event.kind in CLOSED or (event.kind == "referral_decided" and _data(event).get("outcome") == "closed")


def derive(request: InfoRequest, events: list[RequestEvent], responder_country: str | None) -> dict:
    """The figures of one request from its timeline (events in the order they happened)."""
    row: dict = {"area_id": request.area_id, "requesting_authority_id": request.requesting_authority_id,
                 "responding_authority_id": request.responding_authority_id, "status": request.status,
                 "received_at": None, "accepted_at": None, "accept_due_at": None, "accepted_in_time": False,
                 "answered_at": None, "answer_days": None, "agreed_reply_date": None, "answered_on_time": None,
                 "closed_at": None, "timeliness": None, "efforts": None}
    for event in sorted(events, key=lambda e: (as_utc(e.at), e.id or 0)):
        at = as_utc(event.at)
        if _received(event):
            # A forwarded request starts again at the authority it reached: its clock, its acceptance.
            row.update(received_at=at, accepted_at=None, accept_due_at=at + ACCEPT_WITHIN, accepted_in_time=False,
                       agreed_reply_date=None)
        elif event.kind == "accepted" and row["received_at"] is not None and row["accepted_at"] is None:
            row["accepted_at"] = at
            row["accepted_in_time"] = at <= row["accept_due_at"]
            reply_date = _data(event).get("reply_date")
            row["agreed_reply_date"] = _date(reply_date)
        elif _released(event) and row["accepted_at"] is not None and row["answered_at"] is None:
            row["answered_at"] = at
            row["answer_days"] = round((at - row["accepted_at"]).total_seconds() / 86_400, 4)
            if row["agreed_reply_date"] is not None:
                row["answered_on_time"] = local_date(at, responder_country) <= row["agreed_reply_date"]
        elif _closed(event):
            row["closed_at"] = at
            if (event.kind == "withdrawn" and row["accepted_at"] is None and row["accept_due_at"] is not None
                    and at < row["accept_due_at"]):
                row["accept_due_at"] = None  # withdrawn while the responder still had time to accept: not counted
        elif event.kind == "rated":
            row["timeliness"], row["efforts"] = _data(event).get("timeliness"), _data(event).get("efforts")
    return row


def _date(value: object) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _country(session: Session, authority_id: int) -> str | None:
    authority = session.get(Authority, authority_id)
    return authority.country_code if authority else None


def _events(session: Session, request_id: int) -> list[RequestEvent]:
    return list(session.exec(select(RequestEvent).where(RequestEvent.request_id == request_id)
                             .order_by(RequestEvent.at, RequestEvent.id)).all())


def refresh(session: Session, request: InfoRequest) -> None:
    """Rewrites the request's figures from its timeline, in the caller's transaction. Drafts have none."""
    row = session.get(RequestFigures, request.id)
    if request.sent_at is None and row is None:
        return
    values = derive(request, _events(session, request.id), _country(session, request.responding_authority_id))
    if row is None:
        row = RequestFigures(request_id=request.id, **values)
    else:
        for name, value in values.items():
            setattr(row, name, value)
    session.add(row)


@dataclass(frozen=True)
class Difference:
    request_id: int
    field: str
    stored: object
    derived: object


def _same(stored: object, derived: object) -> bool:
    if hasattr(stored, "tzinfo") and hasattr(derived, "tzinfo") and stored is not None and derived is not None:
        return as_utc(stored) == as_utc(derived)  # type: ignore[arg-type]
    if isinstance(stored, float) or isinstance(derived, float):
        return stored is not None and derived is not None and abs(float(stored) - float(derived)) < 1e-3
    return stored == derived


def rebuild(session: Session, *, fix: bool = False, batch: int = 1_000) -> list[Difference]:
    """Derives every sent request's figures from its timeline and compares them with the stored rows;
    with fix=True it writes the derived rows. Returns every difference found (a missing row is one)."""
    differences: list[Difference] = []
    countries = dict(session.exec(select(Authority.id, Authority.country_code)).all())
    last = 0
    while True:
        requests = session.exec(select(InfoRequest).where(InfoRequest.id > last, col(InfoRequest.sent_at).is_not(None))
                                .order_by(InfoRequest.id).limit(batch)).all()
        if not requests:
            return differences
        ids = [r.id for r in requests]
        by_request: dict[int, list[RequestEvent]] = {i: [] for i in ids}
        for event in session.exec(select(RequestEvent).where(col(RequestEvent.request_id).in_(ids))).all():
            by_request[event.request_id].append(event)
        stored = {f.request_id: f for f in session.exec(select(RequestFigures).where(
            col(RequestFigures.request_id).in_(ids))).all()}
        for request in requests:
            values = derive(request, by_request[request.id], countries.get(request.responding_authority_id))
            row = stored.get(request.id)
            if row is None:
                differences.append(Difference(request.id, "*", None, "missing"))
            else:
                differences.extend(Difference(request.id, name, getattr(row, name), value)
                                   for name, value in values.items() if not _same(getattr(row, name), value))
            if fix:
                refresh(session, request)
        last = ids[-1]

"""Linked authorities: the LDA links and unlinks them; their users see a high-level overview of the exchanges."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from imi_app.core.edges import is_id
from imi_app.core.i18n import N_
from imi_app.authorities.models import Authority, AuthorityLink, AuthorityName, AuthorityStatus, LegislativeArea
from imi_app.requests.models import InfoRequest
from imi_app.accounts.models import User
from imi_app.requests.models import RequestStatus
from imi_app.core.time import as_utc
from imi_app.core import audit
from imi_app.core.actions import action, query
from imi_app.core.errors import Conflict
from imi_app.authorities import rules as _rules  # noqa: F401 - registers the authority rules
from imi_app.policy import deny, require
from imi_app.core.text import fold
from imi_app.reference.questions import QUESTION_SET_TITLES

PAGE_SIZE = 20
MAX_LINKING = 200  # authorities that linked one authority: a handful in practice
# The statuses in lifecycle order, for the counts.
STATUS_ORDER = (RequestStatus.DRAFT, RequestStatus.AWAITING_APPROVAL, RequestStatus.SENT, RequestStatus.ACCEPTED,
                RequestStatus.ANSWER_AWAITING_APPROVAL, RequestStatus.ANSWERED, RequestStatus.INSISTED,
                RequestStatus.IN_REFERRAL, RequestStatus.CLOSED, RequestStatus.WITHDRAWN)
OUTGOING, INCOMING = "outgoing", "incoming"


@dataclass(frozen=True)
class LinkedAuthorityRow:
    authority_id: int
    name: str
    linked_at: datetime | None


@dataclass(frozen=True)
class LinkCandidate:
    authority_id: int
    name: str
    is_linked: bool


@dataclass(frozen=True)
class LinkingAuthority:
    authority_id: int
    name: str


@dataclass(frozen=True)
class StatusCount:
    status: str
    count: int


@dataclass(frozen=True)
class AreaCount:
    area_id: int
    area_code: str
    area_names: dict
    count: int


@dataclass(frozen=True)
class SubjectRow:
    """One exchange as a linked authority sees it: no person, no free text (not even the subject), no answer,
    no file. It is named by its legislative area and the title of the area's question set."""

    case_id: str
    status: str
    area_id: int
    area_code: str
    area_names: dict
    question_set: dict  # the question set's title per language; empty for an area without one
    direction: str  # OUTGOING or INCOMING, seen from the authority that linked
    created_at: datetime | None
    sent_at: datetime | None
    updated_at: datetime | None
    deadline: date | None
    closed_at: datetime | None


@dataclass(frozen=True)
class ExchangeOverview:
    authority_id: int
    authority_name: str
    total: int
    by_status: tuple[StatusCount, ...]
    by_area: tuple[AreaCount, ...]
    subjects: tuple[SubjectRow, ...]
    page: int


def _page(page: object) -> int:
    return page if is_id(page) else 1  # type: ignore[return-value]


def _own(session: Session, actor: User, action: str) -> Authority:
    authority = session.get(Authority, actor.authority_id)
    require(session, actor, action, authority, "authority", actor.authority_id)
    return authority


def list_links(session: Session, *, actor: User, page: int = 1,
               page_size: int = PAGE_SIZE) -> tuple[list[LinkedAuthorityRow], int]:
    """The authorities the actor's authority has linked (its LDA's list)."""
    _own(session, actor, "authority_link.list")
    query = select(Authority, AuthorityLink.created_at).join(
        AuthorityLink, AuthorityLink.linked_authority_id == Authority.id).where(
        AuthorityLink.authority_id == actor.authority_id)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(Authority.name_key, Authority.id)
                        .offset((_page(page) - 1) * page_size).limit(page_size)).all()
    return [LinkedAuthorityRow(a.id, a.official_name, as_utc(at)) for a, at in rows], total


def _like(text: str) -> str:
    escaped = fold(text).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_linkable(session: Session, *, actor: User, text: str = "", page: int = 1,
                    page_size: int = PAGE_SIZE) -> tuple[list[LinkCandidate], int]:
    """Active authorities of the actor's country by name (any registered language, accents ignored)."""
    own = _own(session, actor, "authority_link.list")
    query = select(Authority).where(Authority.country_code == own.country_code, Authority.id != own.id,
                                    Authority.status == AuthorityStatus.ACTIVE)
    # Control characters (a NUL breaks PostgreSQL's text parameters) are never part of a name.
    text = "".join(ch for ch in (text if isinstance(text, str) else "")[:100] if ch.isprintable()).strip()
    if text:
        like = _like(text)
        other_names = select(AuthorityName.authority_id).where(AuthorityName.name_key.like(like, escape="\\"))
        query = query.where(sa.or_(Authority.name_key.like(like, escape="\\"),  # type: ignore[attr-defined]
                                   Authority.id.in_(other_names)))  # type: ignore[union-attr]
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(Authority.name_key, Authority.id)
                        .offset((_page(page) - 1) * page_size).limit(page_size)).all()
    linked = set(session.exec(select(AuthorityLink.linked_authority_id).where(
        AuthorityLink.authority_id == own.id,
        AuthorityLink.linked_authority_id.in_([a.id for a in rows]))).all())  # type: ignore[attr-defined]
    return [LinkCandidate(a.id, a.official_name, a.id in linked) for a in rows], total


def _link(session: Session, own_id: int, linked_id: int) -> AuthorityLink | None:
    return session.exec(select(AuthorityLink).where(AuthorityLink.authority_id == own_id,
                                                    AuthorityLink.linked_authority_id == linked_id)).first()


def link_authority(session: Session, *, actor: User, linked_authority_id: int) -> AuthorityLink:
    """Links another active authority of the same country; its users then see the overview."""
    if not is_id(linked_authority_id):
        raise deny(session, actor, "authority_link.create", "authority", repr(linked_authority_id)[:40])
    link = AuthorityLink(authority_id=actor.authority_id, linked_authority_id=linked_authority_id,
                         created_by_user_id=actor.id)
    require(session, actor, "authority_link.create", link, "authority_link",
            f"{actor.authority_id}->{linked_authority_id}")
    if _link(session, actor.authority_id, linked_authority_id) is not None:
        raise Conflict(N_("This authority is already linked to yours."))
    session.add(link)
    session.flush()
    name = session.get(Authority, linked_authority_id).official_name  # type: ignore[union-attr]
    audit.record(session, action="authority_link.create", actor=actor, object_type="authority_link",
                 object_id=f"{actor.authority_id}->{linked_authority_id}",
                 after={"authority_id": actor.authority_id, "linked_authority_id": linked_authority_id,
                        "linked_authority": name})
    return link


@action
def unlink_authority(session: Session, *, actor: User, linked_authority_id: int) -> None:
    """Ends a link; the linked authority's users no longer see the overview."""
    object_id = f"{actor.authority_id}->{linked_authority_id!r}"[:40]
    link = _link(session, actor.authority_id, linked_authority_id) if is_id(linked_authority_id) else None
    require(session, actor, "authority_link.delete", link, "authority_link", object_id)
    before = {"authority_id": link.authority_id, "linked_authority_id": link.linked_authority_id,  # type: ignore[union-attr]
              "created_by_user_id": link.created_by_user_id}  # type: ignore[union-attr]
    session.delete(link)
    audit.record(session, action="authority_link.delete", actor=actor, object_type="authority_link",
                 object_id=object_id, before=before)


@action
def link(session: Session, *, actor: User, linked_authority_id: int) -> AuthorityLink:
    """The links screen's "link": `link_authority` in a transaction of its own."""
    return link_authority(session, actor=actor, linked_authority_id=linked_authority_id)


@dataclass(frozen=True)
class LinksPage:
    linked: list[LinkedAuthorityRow]
    linked_total: int
    candidates: list[LinkCandidate]
    candidates_total: int


@query
def links_page(session: Session, *, actor: User, linked_page: int = 1, search: str = "",
               candidates_page: int = 1) -> LinksPage:
    """The LDA's links screen: one page of linked authorities and one page of the search below it."""
    linked, linked_total = list_links(session, actor=actor, page=linked_page)
    found, found_total = search_linkable(session, actor=actor, text=search, page=candidates_page)
    return LinksPage(linked, linked_total, found, found_total)


def linking_authorities(session: Session, *, actor: User) -> list[LinkingAuthority]:
    """The authorities that linked the actor's authority, by name."""
    _own(session, actor, "linked_overview.view")
    rows = session.exec(select(Authority).join(AuthorityLink, AuthorityLink.authority_id == Authority.id).where(
        AuthorityLink.linked_authority_id == actor.authority_id).order_by(Authority.name_key, Authority.id)
        .limit(MAX_LINKING)).all()
    return [LinkingAuthority(a.id, a.official_name) for a in rows]


def _exchanges_of(authority_id: int):
    """The exchanges an authority takes part in: its requests once sent, in either direction. A draft, or a
    request still waiting for its coordinator's approval, is not an exchange yet, not even its own."""
    return sa.and_(sa.or_(InfoRequest.requesting_authority_id == authority_id,
                          InfoRequest.responding_authority_id == authority_id),
                   col(InfoRequest.sent_at).is_not(None))


def _counts(session: Session, authority_id: int) -> tuple[tuple[StatusCount, ...], tuple[AreaCount, ...]]:
    where = _exchanges_of(authority_id)
    by_status = dict(session.exec(select(InfoRequest.status, func.count()).where(where)
                                  .group_by(InfoRequest.status)).all())
    ordered = [s for s in STATUS_ORDER if s in by_status] + sorted(s for s in by_status if s not in STATUS_ORDER)
    by_area = session.exec(select(LegislativeArea, func.count(InfoRequest.id)).join(
        InfoRequest, InfoRequest.area_id == LegislativeArea.id).where(where)
        .group_by(LegislativeArea.id).order_by(LegislativeArea.code)).all()
    return (tuple(StatusCount(s, by_status[s]) for s in ordered),
            tuple(AreaCount(a.id, a.code, dict(a.names), n) for a, n in by_area))


# Only these columns are read: personal data, free text, answers and files never leave the database.
_SUBJECT_COLUMNS = (InfoRequest.case_id, InfoRequest.status, InfoRequest.area_id,
                    InfoRequest.requesting_authority_id, InfoRequest.created_at, InfoRequest.sent_at,
                    InfoRequest.updated_at, InfoRequest.deadline, InfoRequest.closed_at)


def exchange_overview(session: Session, *, actor: User, authority_id: int, page: int = 1,
                      page_size: int = PAGE_SIZE) -> ExchangeOverview:
    """Counts by status and by area and one page of subjects, for a user of an authority `authority_id` linked."""
    link = session.exec(select(AuthorityLink).where(AuthorityLink.authority_id == authority_id,
                                                    AuthorityLink.linked_authority_id == actor.authority_id)
                        ).first() if is_id(authority_id) else None
    require(session, actor, "linked_overview.view", link, "authority", repr(authority_id)[:40])
    by_status, by_area = _counts(session, authority_id)
    total = sum(item.count for item in by_status)
    page = min(_page(page), max(1, (total + page_size - 1) // page_size))
    rows = session.exec(select(*_SUBJECT_COLUMNS).where(_exchanges_of(authority_id))
                        .order_by(InfoRequest.updated_at.desc(), InfoRequest.id.desc())  # type: ignore[attr-defined]
                        .offset((page - 1) * page_size).limit(page_size)).all()
    areas = {a.area_id: a for a in by_area}  # every area of the authority's exchanges
    subjects = tuple(SubjectRow(
        case_id=r.case_id, status=r.status, area_id=r.area_id, area_code=areas[r.area_id].area_code,
        area_names=areas[r.area_id].area_names,
        question_set=dict(QUESTION_SET_TITLES.get(areas[r.area_id].area_code, {})),
        direction=OUTGOING if r.requesting_authority_id == authority_id else INCOMING,
        created_at=as_utc(r.created_at), sent_at=as_utc(r.sent_at), updated_at=as_utc(r.updated_at),
        deadline=r.deadline, closed_at=as_utc(r.closed_at)) for r in rows)
    name = session.get(Authority, authority_id).official_name  # type: ignore[union-attr]
    return ExchangeOverview(authority_id, name, total, by_status, by_area, subjects, page)


@dataclass(frozen=True)
class LinkedOverviewPage:
    linking: list[LinkingAuthority]
    overview: ExchangeOverview | None  # of the chosen authority; None when no authority linked the actor's


@query
def linked_overview(session: Session, *, actor: User, authority_id: object, page: int = 1) -> LinkedOverviewPage:
    """Who linked the actor's authority, and the overview of the one chosen (the first, from page 1, when
    the choice is not among them any more)."""
    linking = linking_authorities(session, actor=actor)
    if authority_id not in {a.authority_id for a in linking}:
        authority_id, page = (linking[0].authority_id if linking else None), 1
    chosen = next((a.authority_id for a in linking if a.authority_id == authority_id), None)
    overview = exchange_overview(session, actor=actor, authority_id=chosen, page=page) if chosen else None
    return LinkedOverviewPage(linking, overview)

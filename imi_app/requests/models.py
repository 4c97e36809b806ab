"""Information requests: the exchange, its questions, people concerned, allocations, timeline, files."""

from __future__ import annotations

from enum import StrEnum

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from imi_app.core.time import created_at_field, time_field
from imi_app.core.text import fold


class RequestStatus(StrEnum):
    DRAFT = "draft"
    AWAITING_APPROVAL = "awaiting_approval"
    SENT = "sent"
    ACCEPTED = "accepted"
    ANSWER_AWAITING_APPROVAL = "answer_awaiting_approval"
    ANSWERED = "answered"
    INSISTED = "insisted"  # the responder says it cannot give the further information asked
    IN_REFERRAL = "in_referral"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


# Not yet closed or withdrawn.
OPEN_STATUSES = tuple(s for s in RequestStatus if s not in (RequestStatus.CLOSED, RequestStatus.WITHDRAWN))


# The partial indexes' conditions; requests.retention's batch queries name both terms, so both databases use them.
RETENTION_TO_BLOCK = "personal_data_blocked_at IS NULL AND closed_at IS NOT NULL"
RETENTION_TO_DELETE = "personal_data_deleted_at IS NULL AND closed_at IS NOT NULL"


class InfoRequest(SQLModel, table=True):
    __tablename__ = "info_request"
    __table_args__ = (
        sa.Index("ix_info_request_responder_status_deadline", "responding_authority_id", "status", "deadline"),
        sa.Index("ix_info_request_requester_status_deadline", "requesting_authority_id", "status", "deadline"),
        sa.Index("ix_info_request_responder_updated", "responding_authority_id", "updated_at", "id"),
        sa.Index("ix_info_request_requester_updated", "requesting_authority_id", "updated_at", "id"),
        # The overview filtered by one legislative area: a range of the authority's rows in that area
        # instead of a walk through all of the authority's rows.
        sa.Index("ix_info_request_responder_area_updated", "responding_authority_id", "area_id", "updated_at", "id"),
        sa.Index("ix_info_request_requester_area_updated", "requesting_authority_id", "area_id", "updated_at", "id"),
        # Retention (requests.retention): only the closed requests whose data is not yet blocked / deleted, so
        # that each batch, taken in id order, reads those and not the ones handled already.
        sa.Index("ix_info_request_to_block", "id", sqlite_where=sa.text(RETENTION_TO_BLOCK),
                 postgresql_where=sa.text(RETENTION_TO_BLOCK)),
        sa.Index("ix_info_request_to_delete", "id", sqlite_where=sa.text(RETENTION_TO_DELETE),
                 postgresql_where=sa.text(RETENTION_TO_DELETE)),
    )
    id: int | None = Field(default=None, primary_key=True)
    case_id: str = Field(max_length=24, unique=True)  # stays the same through every step
    area_id: int = Field(foreign_key="legislative_area.id", index=True)
    requesting_authority_id: int = Field(foreign_key="authority.id")
    responding_authority_id: int = Field(foreign_key="authority.id")
    forwarded_from_authority_id: int | None = Field(default=None, foreign_key="authority.id", index=True)
    status: str = Field(default=RequestStatus.DRAFT, max_length=30, index=True)
    subject: str = Field(max_length=300)
    subject_key: str = Field(default="", max_length=300)
    free_text: str = Field(default="", sa_type=sa.Text)
    proposed_reply_date: date | None = None
    agreed_reply_date: date | None = None
    deadline: date | None = Field(default=None, index=True)
    more_info_requested: bool = False
    created_by_user_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()
    sent_at: datetime | None = time_field()
    closed_at: datetime | None = time_field()
    # Retention (Regulation 1024/2012 Art. 14, requests.retention): personal data blocked, then deleted.
    personal_data_blocked_at: datetime | None = time_field()
    personal_data_deleted_at: datetime | None = time_field()
    version: int = 1  # REL-1: every change checks and bumps it


class RequestPerson(SQLModel, table=True):
    """The person or business concerned: personal data, kept apart so it can be blocked and deleted."""

    __tablename__ = "request_person"
    request_id: int = Field(foreign_key="info_request.id", primary_key=True)
    kind: str = Field(default="person", max_length=20)  # person | business
    full_name: str = Field(default="", max_length=300)
    birth_date: date | None = None
    nationality: str = Field(default="", max_length=60)
    registration_number: str = Field(default="", max_length=100)
    address: str = Field(default="", max_length=500)
    other_details: str = Field(default="", sa_type=sa.Text)
    # Folded copies for the data subject's search (requests.data_subject): no accents, case or spaces decide.
    name_key: str = Field(default="", max_length=300)
    identifier_key: str = Field(default="", max_length=100)


class Question(SQLModel, table=True):
    """A pre-translated question of an area's question set; texts per language are data."""

    id: int | None = Field(default=None, primary_key=True)
    area_id: int = Field(foreign_key="legislative_area.id", index=True)
    code: str = Field(max_length=60, unique=True)
    position: int = 0
    answer_type: str = Field(default="yes_no", max_length=20)  # yes_no | text | date
    texts: dict = Field(default_factory=dict, sa_type=sa.JSON, nullable=False)


class RequestQuestion(SQLModel, table=True):
    __tablename__ = "request_question"
    __table_args__ = (sa.UniqueConstraint("request_id", "question_id"),)
    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="info_request.id", index=True)
    question_id: int = Field(foreign_key="question.id")
    answer: str | None = Field(default=None, sa_type=sa.Text)
    answered_by_user_id: int | None = Field(default=None, foreign_key="user.id")
    answered_at: datetime | None = time_field()


class RequestAllocation(SQLModel, table=True):
    __tablename__ = "request_allocation"
    request_id: int = Field(foreign_key="info_request.id", primary_key=True)
    user_id: int = Field(foreign_key="user.id", primary_key=True, index=True)
    allocated_by_user_id: int | None = Field(default=None, foreign_key="user.id")
    allocated_at: datetime = created_at_field()


class RequestEvent(SQLModel, table=True):
    """One step on the request's timeline."""

    __tablename__ = "request_event"
    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="info_request.id", index=True)
    at: datetime = created_at_field()
    actor_user_id: int | None = Field(default=None, foreign_key="user.id")
    actor_authority_id: int | None = Field(default=None, foreign_key="authority.id")
    kind: str = Field(max_length=40)
    note: str = Field(default="", sa_type=sa.Text)
    data: dict | None = Field(default=None, sa_type=sa.JSON)


class Attachment(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="info_request.id", index=True)
    stored_name: str = Field(max_length=64, unique=True)  # random; the file lives under the data folder
    original_name: str = Field(max_length=255)
    content_type: str = Field(max_length=100)
    size: int = 0
    uploaded_by_user_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = created_at_field()


class ReferralOpinion(SQLModel, table=True):
    __tablename__ = "referral_opinion"
    request_id: int = Field(foreign_key="info_request.id", primary_key=True)
    coordinator_id: int = Field(foreign_key="authority.id", primary_key=True, index=True)
    user_id: int | None = Field(default=None, foreign_key="user.id")
    opinion: str = Field(default="", max_length=30)  # requester | responder
    note: str = Field(default="", sa_type=sa.Text)
    at: datetime | None = time_field()


class Rating(StrEnum):
    POSITIVE = "positive"
    NEUTRAL = "neutral"
    NEGATIVE = "negative"


class RequestRating(SQLModel, table=True):
    """The requesting side's rating of a closed request: the answer's timeliness and the efforts made.
    One per request, changeable for a while after closure (requests.answering.RATING_DAYS)."""

    __tablename__ = "request_rating"
    request_id: int = Field(foreign_key="info_request.id", primary_key=True)
    timeliness: str = Field(max_length=10)
    efforts: str = Field(max_length=10)
    comment: str = Field(default="", sa_type=sa.Text)
    rated_by_user_id: int | None = Field(default=None, foreign_key="user.id")
    rated_at: datetime = created_at_field()


FIGURES_OPEN = "status NOT IN ('closed', 'withdrawn')"  # the partial indexes' condition, and the backlog's


class RequestFigures(SQLModel, table=True):
    """What the scoreboard counts of one request, derived from its timeline (requests.figures) and kept up
    to date in the transaction of every step. No personal data: it outlives the request's blocking."""

    __tablename__ = "request_figures"
    __table_args__ = (
        # One index per moment an indicator counts from, each covering what the dashboard's pass over it
        # reads (the area it may filter on, the columns its counts test): the pass never reads the table.
        sa.Index("ix_request_figures_responder_received", "responding_authority_id", "received_at", "area_id",
                 "accept_due_at", "accepted_in_time"),
        sa.Index("ix_request_figures_responder_answered", "responding_authority_id", "answered_at", "area_id",
                 "answer_days", "answered_on_time"),
        sa.Index("ix_request_figures_responder_closed", "responding_authority_id", "closed_at", "area_id",
                 "timeliness", "efforts"),
        sa.Index("ix_request_figures_requester_received", "requesting_authority_id", "received_at", "area_id",
                 "accept_due_at", "accepted_in_time"),
        sa.Index("ix_request_figures_requester_answered", "requesting_authority_id", "answered_at", "area_id",
                 "answer_days", "answered_on_time"),
        sa.Index("ix_request_figures_requester_closed", "requesting_authority_id", "closed_at", "area_id",
                 "timeliness", "efforts"),
        # The open backlog: only the requests not closed or withdrawn, a small part of each authority's rows.
        sa.Index("ix_request_figures_responder_open", "responding_authority_id", "received_at", "area_id", "status",
                 sqlite_where=sa.text(FIGURES_OPEN), postgresql_where=sa.text(FIGURES_OPEN)),
        sa.Index("ix_request_figures_requester_open", "requesting_authority_id", "received_at", "area_id", "status",
                 sqlite_where=sa.text(FIGURES_OPEN), postgresql_where=sa.text(FIGURES_OPEN)),
    )
    request_id: int = Field(foreign_key="info_request.id", primary_key=True)
    area_id: int = Field(foreign_key="legislative_area.id", index=True)
    requesting_authority_id: int = Field(foreign_key="authority.id")
    responding_authority_id: int = Field(foreign_key="authority.id")
    status: str = Field(max_length=30)
    received_at: datetime | None = time_field()  # reached its present responding authority (sent or forwarded)
    accepted_at: datetime | None = time_field()  # first acceptance by that authority
    accept_due_at: datetime | None = time_field()  # received_at + 7 days; None: withdrawn before, never counted
    accepted_in_time: bool = False  # accepted by accept_due_at
    answered_at: datetime | None = time_field()  # the first answer released to the requesting authority
    answer_days: float | None = None  # from accepted_at to answered_at, in days
    agreed_reply_date: date | None = None  # the date agreed at acceptance
    answered_on_time: bool | None = None  # answered by the agreed date (in the responder's time zone)
    closed_at: datetime | None = time_field()
    timeliness: str | None = Field(default=None, max_length=10)
    efforts: str | None = Field(default=None, max_length=10)


@sa.event.listens_for(InfoRequest, "before_insert")
@sa.event.listens_for(InfoRequest, "before_update")
def _fold_subject(_mapper, _connection, target: InfoRequest) -> None:
    target.subject_key = fold(target.subject)[:300]


def identifier_key(text: str) -> str:
    """A registration number as it is compared: folded, without spaces, dots or dashes ("HU-12 345" = "hu12345")."""
    return "".join(ch for ch in fold(text) if ch.isalnum())[:100]


@sa.event.listens_for(RequestPerson, "before_insert")
@sa.event.listens_for(RequestPerson, "before_update")
def _fold_person(_mapper, _connection, target: RequestPerson) -> None:
    target.name_key = " ".join(fold(target.full_name).split())[:300]
    target.identifier_key = identifier_key(target.registration_number)

"""Countries, legislative areas, authorities and the areas each authority works in."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from imi_app.core.i18n import localized
from imi_app.core.time import created_at_field, time_field
from imi_app.core.text import fold


class Country(SQLModel, table=True):
    code: str = Field(primary_key=True, max_length=2)  # ISO 3166-1 alpha-2; names come from Babel


class LegislativeArea(SQLModel, table=True):
    __tablename__ = "legislative_area"
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True)
    # Names per language code, so a new language is data, not code.
    names: dict = Field(default_factory=dict, sa_type=sa.JSON, nullable=False)
    # Where the area's sector act allows longer: months after closure until personal data is blocked (at most
    # 18) and deleted. None: the installation's settings (IMI_RETENTION_BLOCK_MONTHS, IMI_RETENTION_DELETE_MONTHS).
    block_months: int | None = None
    delete_months: int | None = None

    def name_in(self, language: str) -> str:
        return localized(self.names, language, self.code)


class AuthorityStatus(StrEnum):
    ACTIVE = "active"
    PENDING = "pending"
    REJECTED = "rejected"


class Authority(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    country_code: str = Field(foreign_key="country.code", max_length=2, index=True)
    official_name: str = Field(max_length=300)
    is_coordinator: bool = False
    parent_coordinator_id: int | None = Field(default=None, foreign_key="authority.id", index=True)
    contact_email: str = Field(max_length=254)
    address: str = Field(default="", max_length=500)
    phone: str = Field(default="", max_length=40)
    languages: str = Field(default="", max_length=100)  # comma-separated language codes
    status: str = Field(default=AuthorityStatus.ACTIVE, max_length=20, index=True)
    created_at: datetime = created_at_field()
    # The official name folded for search and sorting (no accents, case-folded).
    name_key: str = Field(default="", max_length=300, index=True)
    rejection_reason: str = Field(default="", max_length=1000)
    validated_at: datetime | None = time_field()
    validated_by_user_id: int | None = None  # no foreign key: user -> authority already points the other way


class AuthorityName(SQLModel, table=True):
    """The authority's name in a further language; the directory finds it by any of them."""

    __tablename__ = "authority_name"
    __table_args__ = (sa.UniqueConstraint("authority_id", "language"),)
    id: int | None = Field(default=None, primary_key=True)
    authority_id: int = Field(foreign_key="authority.id", index=True)
    language: str = Field(max_length=8)
    name: str = Field(max_length=300)
    name_key: str = Field(max_length=300, index=True)


class AuthorityArea(SQLModel, table=True):
    __tablename__ = "authority_area"
    authority_id: int = Field(foreign_key="authority.id", primary_key=True)
    area_id: int = Field(foreign_key="legislative_area.id", primary_key=True, index=True)
    keywords: str = Field(default="", max_length=1000)
    keywords_key: str = Field(default="", max_length=1000)  # folded, for search


class ReferralMode(StrEnum):
    SELF = "self"  # the coordinator's data administrators give the opinion
    REFEREE = "referee"  # a named approver-referee gives it
    NONE = "none"  # the coordinator does not take part


REFERRAL_MODES = tuple(ReferralMode)


class CoordinatorSetting(SQLModel, table=True):
    """What a coordinator decided for one legislative area (the seed's steps 14-15)."""

    __tablename__ = "coordinator_setting"
    coordinator_id: int = Field(foreign_key="authority.id", primary_key=True)
    area_id: int = Field(foreign_key="legislative_area.id", primary_key=True)
    referral_mode: str = Field(default=ReferralMode.SELF, max_length=20)
    referee_user_id: int | None = Field(default=None, foreign_key="user.id")
    approve_requests: bool = False
    approve_answers: bool = False
    updated_at: datetime = created_at_field()


class AuthorityLink(SQLModel, table=True):
    """`linked_authority_id` sees a high-level overview of `authority_id`'s exchanges."""

    __tablename__ = "authority_link"
    authority_id: int = Field(foreign_key="authority.id", primary_key=True)
    linked_authority_id: int = Field(foreign_key="authority.id", primary_key=True, index=True)
    created_at: datetime = created_at_field()
    created_by_user_id: int | None = Field(default=None, foreign_key="user.id")


class Invitation(SQLModel, table=True):
    """A coordinator's invitation to self-register; the e-mailed link is signed and single-use."""

    id: int | None = Field(default=None, primary_key=True)
    coordinator_id: int = Field(foreign_key="authority.id", index=True)
    email: str = Field(max_length=254)
    language: str = Field(default="en", max_length=8)
    nonce_hash: str = Field(max_length=64, unique=True)
    created_by_user_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = created_at_field()
    expires_at: datetime = time_field(nullable=False)
    used_at: datetime | None = time_field()
    authority_id: int | None = Field(default=None, foreign_key="authority.id")


@sa.event.listens_for(Authority, "before_insert")
@sa.event.listens_for(Authority, "before_update")
def _fold_authority_name(_mapper, _connection, target: Authority) -> None:
    target.name_key = fold(target.official_name)[:300]


@sa.event.listens_for(AuthorityName, "before_insert")
@sa.event.listens_for(AuthorityName, "before_update")
def _fold_other_name(_mapper, _connection, target: AuthorityName) -> None:
    target.name_key = fold(target.name)[:300]


@sa.event.listens_for(AuthorityArea, "before_insert")
@sa.event.listens_for(AuthorityArea, "before_update")
def _fold_keywords(_mapper, _connection, target: AuthorityArea) -> None:
    target.keywords_key = fold(target.keywords)[:1000]

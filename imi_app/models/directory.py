"""Countries, legislative areas, authorities and the areas each authority works in."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from imi_app.models.base import created_at_field


class Country(SQLModel, table=True):
    code: str = Field(primary_key=True, max_length=2)  # ISO 3166-1 alpha-2; names come from Babel


class LegislativeArea(SQLModel, table=True):
    __tablename__ = "legislative_area"
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True)
    # Names per language code, so a new language is data, not code.
    names: dict = Field(default_factory=dict, sa_type=sa.JSON, nullable=False)


class AuthorityStatus:
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


class AuthorityArea(SQLModel, table=True):
    __tablename__ = "authority_area"
    authority_id: int = Field(foreign_key="authority.id", primary_key=True)
    area_id: int = Field(foreign_key="legislative_area.id", primary_key=True)
    keywords: str = Field(default="", max_length=1000)

"""Users, their per-area roles and their login sessions."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from imi_app.core.time import created_at_field, time_field


class Role(StrEnum):
    """Per-area roles; every user is a basic user in every area of the authority."""

    REQUEST_HANDLER = "request_handler"
    ALLOCATOR = "allocator"
    DATA_ADMINISTRATOR = "data_administrator"
    APPROVER_REFEREE = "approver_referee"


# The roles a local data administrator gives; the coordinator roles are given by coordinators.
AREA_ROLES = (Role.REQUEST_HANDLER, Role.ALLOCATOR)


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    authority_id: int = Field(foreign_key="authority.id", index=True)
    username: str = Field(max_length=64)
    username_key: str = Field(max_length=64, unique=True)  # casefolded, for uniqueness
    email: str = Field(max_length=254)
    email_key: str = Field(max_length=254, unique=True)  # casefolded, for uniqueness
    full_name: str = Field(max_length=200)
    phone: str = Field(default="", max_length=40)
    language: str = Field(default="en", max_length=8)
    # The zone the user reads times in (an IANA name such as "Europe/Budapest"); None: the authority's country's.
    time_zone: str | None = Field(default=None, max_length=64)
    is_active: bool = True
    is_lda: bool = False  # local data administrator of the whole authority

    password_hash: str = Field(default="", max_length=100)
    password_is_temporary: bool = True
    temp_password_expires_at: datetime | None = time_field()

    # SEC-5: one HMAC tag per position triple; the code itself is never stored.
    code_salt: bytes | None = Field(default=None, sa_type=sa.LargeBinary)
    code_tags: bytes | None = Field(default=None, sa_type=sa.LargeBinary)
    challenge_positions: str = Field(default="", max_length=20)  # "2,7,11", 1-based

    totp_secret_enc: str | None = Field(default=None, max_length=200)
    totp_enabled: bool = False
    totp_last_step: int = 0

    failed_logins: int = 0
    blocked_at: datetime | None = time_field()
    last_login_at: datetime | None = time_field()
    created_at: datetime = created_at_field()
    notify_mode: str = Field(default="immediate", max_length=20)  # immediate | digest


class RoleAssignment(SQLModel, table=True):
    __tablename__ = "role_assignment"
    __table_args__ = (sa.UniqueConstraint("user_id", "area_id", "role"),)
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    area_id: int = Field(foreign_key="legislative_area.id")
    role: str = Field(max_length=30)


class UserSession(SQLModel, table=True):
    """A login. The browser holds a random token; only its SHA-256 is kept here."""

    __tablename__ = "user_session"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    # A short-lived, single-use ticket that the cookie endpoint swaps for the token.
    ticket_hash: str | None = Field(default=None, max_length=64, unique=True)
    token_hash: str | None = Field(default=None, max_length=64, unique=True)
    created_at: datetime = created_at_field()
    last_seen_at: datetime = created_at_field()
    expires_at: datetime = time_field(nullable=False)
    ended_at: datetime | None = time_field()


class LoginThrottle(SQLModel, table=True):
    """Failed sign-ins of one client address or one (username, address) pair (SEC-13).

    The key is the kind and a keyed hash of the address or pair, so the table names nobody."""

    __tablename__ = "login_throttle"
    key: str = Field(primary_key=True, max_length=80)
    failures: int = 0
    wait_until: datetime | None = time_field()
    last_failure: datetime = time_field(nullable=False)

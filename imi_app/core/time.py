"""Shared column helpers for the tables."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel import Field


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def created_at_field() -> datetime:
    return Field(default_factory=utcnow, sa_type=sa.DateTime(timezone=True), nullable=False)


def time_field(nullable: bool = True):
    return Field(default=None, sa_type=sa.DateTime(timezone=True), nullable=nullable)

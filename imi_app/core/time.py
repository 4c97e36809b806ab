"""Shared column helpers for the tables."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

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


# The legal time of each IMI country's capital: a day in a country (an agreed reply date, a period's first and
# last day) runs from midnight to midnight there.
COUNTRY_ZONES = {
    "AT": "Europe/Vienna", "BE": "Europe/Brussels", "BG": "Europe/Sofia", "CY": "Asia/Nicosia",
    "CZ": "Europe/Prague", "DE": "Europe/Berlin", "DK": "Europe/Copenhagen", "EE": "Europe/Tallinn",
    "ES": "Europe/Madrid", "FI": "Europe/Helsinki", "FR": "Europe/Paris", "GR": "Europe/Athens",
    "HR": "Europe/Zagreb", "HU": "Europe/Budapest", "IE": "Europe/Dublin", "IT": "Europe/Rome",
    "LT": "Europe/Vilnius", "LU": "Europe/Luxembourg", "LV": "Europe/Riga", "MT": "Europe/Malta",
    "NL": "Europe/Amsterdam", "PL": "Europe/Warsaw", "PT": "Europe/Lisbon", "RO": "Europe/Bucharest",
    "SE": "Europe/Stockholm", "SI": "Europe/Ljubljana", "SK": "Europe/Bratislava", "IS": "Atlantic/Reykjavik",
    "LI": "Europe/Vaduz", "NO": "Europe/Oslo",
}
DEFAULT_ZONE = "Europe/Brussels"


def zone_of(country_code: str | None) -> ZoneInfo:
    return ZoneInfo(COUNTRY_ZONES.get(country_code or "", DEFAULT_ZONE))


def local_date(moment: datetime, country_code: str | None) -> date:
    """The calendar day `moment` falls on in that country."""
    return as_utc(moment).astimezone(zone_of(country_code)).date()  # type: ignore[union-attr]


def start_of_day(day: date, country_code: str | None) -> datetime:
    """The first instant of `day` in that country, in UTC."""
    return datetime.combine(day, time(0, 0), tzinfo=zone_of(country_code)).astimezone(UTC)

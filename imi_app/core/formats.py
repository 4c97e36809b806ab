"""Dates, times and numbers written the way the reader's language writes them (Babel's CLDR data), and times
in the reader's time zone: "3 Dec 2026, 09:15 CET", "2026. dec. 3. 9:15 CET", "03.12.2026, 09:15 MEZ"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime, format_skeleton, format_time, get_timezone, get_timezone_location
from babel.numbers import format_decimal, format_percent
from babel.units import format_unit

from imi_app.core.i18n import country_name, normalize_language
from imi_app.core.time import COUNTRY_ZONES, DEFAULT_ZONE, as_utc

# The time zones a user may choose in the profile: those of the IMI countries, and UTC.
ZONES = tuple(sorted(set(COUNTRY_ZONES.values()) | {"UTC"}))
# English in the EU writes day-month-year and the 24-hour clock.
_LOCALES = {"en": "en_GB"}


def zone_choices(language: str) -> list[list[str]]:
    """[zone, "Vienna (Austria)"] for each zone a user may choose, in the reader's language, in its order."""
    countries = {zone: code for code, zone in COUNTRY_ZONES.items()}
    choices = []
    for zone in ZONES:
        if zone == "UTC":
            choices.append([zone, "UTC"])
            continue
        city = get_timezone_location(get_timezone(zone), locale=normalize_language(language), return_city=True)
        choices.append([zone, f"{city} ({country_name(countries[zone], language)})"])
    return sorted(choices, key=lambda choice: choice[1].casefold())


def valid_zone(zone: object) -> bool:
    """One of the zones a user may choose (the profile offers no other)."""
    return isinstance(zone, str) and zone in ZONES


def zone_for(chosen: str | None, country_code: str | None) -> str:
    """The user's own time zone, else the one of their authority's country."""
    if chosen and valid_zone(chosen):
        return chosen
    return COUNTRY_ZONES.get(country_code or "", DEFAULT_ZONE)


@dataclass(frozen=True)
class Formats:
    language: str = "en"
    zone: str = DEFAULT_ZONE

    @property
    def locale(self) -> Locale:
        language = normalize_language(self.language)
        return Locale.parse(_LOCALES.get(language, language))

    def day(self, value: date | str | None) -> str:
        """A calendar day ("3 Dec 2026"); an ISO text ("2026-12-03") is read first, other text is shown as it is."""
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value)
            except ValueError:
                return value
        if value is None:
            return ""
        if isinstance(value, datetime):
            value = value.date()
        return format_date(value, "medium", locale=self.locale)

    def month(self, value: date) -> str:
        """A calendar month with its year ("December 2026", "2026. december")."""
        return format_skeleton("yMMMM", value, locale=self.locale)

    def moment(self, value: datetime | None) -> str:
        """A point in time in the reader's zone, with the zone's short name ("3 Dec 2026, 09:15 CET")."""
        if value is None:
            return ""
        local = as_utc(value).astimezone(ZoneInfo(self.zone))  # type: ignore[union-attr]
        pattern = self.locale.datetime_formats["medium"]
        text = pattern.format(format_time(local, "short", locale=self.locale),
                              format_date(local, "medium", locale=self.locale))
        zone = format_datetime(local, "z", tzinfo=local.tzinfo, locale=self.locale)
        if zone[:1] in "+-" or zone == "None":  # no short name in this language: its way of writing the offset ("UTC+01:00")
            zone = format_datetime(local, "ZZZZ", tzinfo=local.tzinfo, locale=self.locale)
        return f"{text} {zone}"

    def number(self, value: float | int, *, digits: int = 1) -> str:
        return format_decimal(value, format=f"#,##0.{'#' * digits}" if digits else "#,##0", locale=self.locale)

    def period(self, months: int) -> str:
        """A period given in months, in whole years where it is ("6 months", "3 years", "18 hónap", "3 Jahre")."""
        unit, count = ("duration-year", months // 12) if months and months % 12 == 0 else ("duration-month", months)
        return format_unit(count, unit, length="long", locale=self.locale)

    def percent(self, share: float) -> str:
        """A share (0.67) as a percentage ("67%", "67 %")."""
        return format_percent(share, locale=self.locale)

"""Dates, times and numbers as each language writes them, and times in the reader's zone."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from imi_app.core.formats import ZONES, Formats, zone_choices, zone_for

WINTER = datetime(2026, 12, 3, 8, 15, tzinfo=UTC)
SUMMER = datetime(2026, 7, 3, 8, 15, tzinfo=UTC)


@pytest.mark.parametrize(("language", "day", "moment"), [
    ("en", "3 Dec 2026", "3 Dec 2026, 09:15 CET"),
    ("hu", "2026. dec. 3.", "2026. dec. 3. 9:15 CET"),
    ("de", "03.12.2026", "03.12.2026, 09:15 MEZ"),
    ("fr", "3 déc. 2026", "3 déc. 2026, 09:15 UTC+01:00"),
])
def test_each_language_writes_days_and_times_its_way(language, day, moment):
    fmt = Formats(language, "Europe/Berlin")
    assert fmt.day(date(2026, 12, 3)) == day
    assert fmt.day("2026-12-03") == day  # a stored ISO day (a date answer, a reply date in the timeline)
    assert fmt.moment(WINTER) == moment


def test_times_are_in_the_readers_zone_summer_time_included():
    assert Formats("en", "Europe/Budapest").moment(SUMMER) == "3 Jul 2026, 10:15 CEST"
    assert Formats("en", "Europe/Lisbon").moment(WINTER) == "3 Dec 2026, 08:15 WET"
    assert Formats("en", "UTC").moment(WINTER) == "3 Dec 2026, 08:15 UTC"
    assert Formats("en", "Europe/Berlin").moment(WINTER.replace(tzinfo=None)) == "3 Dec 2026, 09:15 CET"  # SQLite


def test_nothing_and_text_that_is_no_day():
    fmt = Formats("de", "Europe/Berlin")
    assert fmt.day(None) == "" and fmt.moment(None) == ""
    assert fmt.day("not a day") == "not a day"
    assert fmt.day(WINTER) == "03.12.2026"


@pytest.mark.parametrize(("language", "number", "share"), [
    ("en", "1,234.6", "67%"), ("hu", "1\xa0234,6", "67%"), ("de", "1.234,6", "67\xa0%"), ("fr", "1\u202f234,6", "67\xa0%"),
])
def test_numbers_and_percentages(language, number, share):
    fmt = Formats(language)
    assert fmt.number(1234.56) == number
    assert fmt.percent(0.67) == share


def test_the_zone_is_the_users_choice_else_their_countrys():
    assert zone_for("Europe/Lisbon", "HU") == "Europe/Lisbon"
    assert zone_for(None, "HU") == "Europe/Budapest"
    assert zone_for("", "DE") == "Europe/Berlin"
    assert zone_for("Not/AZone", "AT") == "Europe/Vienna"
    assert zone_for(None, None) == "Europe/Brussels"


def test_every_zone_can_be_chosen_by_its_city_and_country_in_the_readers_language():
    choices = dict(zone_choices("hu"))
    assert set(choices) == set(ZONES)
    assert choices["Europe/Vienna"] == "Bécs (Ausztria)"
    assert dict(zone_choices("de"))["Europe/Vienna"] == "Wien (Österreich)"


@pytest.mark.parametrize(("language", "six", "eighteen", "thirty_six", "one"), [
    ("en", "6 months", "18 months", "3 years", "1 month"), ("hu", "6 hónap", "18 hónap", "3 év", "1 hónap"),
    ("de", "6 Monate", "18 Monate", "3 Jahre", "1 Monat"), ("fr", "6\xa0mois", "18\xa0mois", "3 ans", "1\xa0mois"),
])
def test_periods_in_whole_years_where_they_are(language, six, eighteen, thirty_six, one):
    fmt = Formats(language)
    assert [fmt.period(m) for m in (6, 18, 36, 1)] == [six, eighteen, thirty_six, one]

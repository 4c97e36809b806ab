"""The dashboard's two distributions worked out by hand: days to answer (indicator 2's requests in whole days)
and the open backlog by status, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from imi_app.scoreboard.board import ANSWER_DAY_BUCKETS, OUTGOING, coordinator_dashboard
from tests.scoreboard.test_indicators import JUNE, NOW, S, at, history
from tests.support.request_factories import build_world


def answered_after(w, days: float, **kwargs) -> int:
    accepted = at("2026-05-20T08:00")
    return history(w, ("sent", at("2026-05-19T08:00"), None), ("accepted", accepted, None),
                   ("answered", accepted + timedelta(days=days), {"released": {}}), status=S.ANSWERED, **kwargs)


def test_days_to_answer_fall_in_whole_day_buckets(database):
    w = build_world()
    # Accepted 20 May, answered in June after so many days; the buckets are of whole days completed.
    for days in (13, 14.5):  # 7-15
        answered_after(w, days)
    for days in (15.99, 16.0, 25.99):  # 15.99 is still 15 whole days; 16 and 25.99 are 16-25
        answered_after(w, days)
    for days in (26.0, 40.0):  # 26-50
        answered_after(w, days)
    answered_after(w, 12.0, responder=w.b2)  # 7-15, another authority of the tree
    answered_after(w, 2.0)  # 22 May: answered before June, not counted
    history(w, ("sent", at("2026-06-01T08:00"), None), ("accepted", at("2026-06-02T08:00"), None),
            ("answered", at("2026-06-03T20:00"), {"released": {}}))  # 1.5 days: 0-6
    board = coordinator_dashboard(actor=w.de_da, period=JUNE, now=NOW)
    assert len(board.answer_days) == len(ANSWER_DAY_BUCKETS)
    assert board.answer_days == (1, 4, 2, 2, 0)
    assert sum(board.answer_days) == {f.key: f.basis for f in board.total.figures}["answering"]
    # 51 days and more: accepted on 10 April, answered 31 May 22:30 UTC = 1 June in Berlin, 51.6 days.
    history(w, ("sent", at("2026-04-09T08:00"), None), ("accepted", at("2026-04-10T08:00"), None),
            ("answered", at("2026-05-31T22:30"), {"released": {}}))
    assert coordinator_dashboard(actor=w.de_da, period=JUNE, now=NOW).answer_days == (1, 4, 2, 2, 1)
    assert coordinator_dashboard(actor=w.hu_da, period=JUNE, side=OUTGOING, now=NOW).answer_days == (1, 4, 2, 2, 1)
    assert coordinator_dashboard(actor=w.hu_da, period=JUNE, now=NOW).answer_days == (0, 0, 0, 0, 0)


def test_the_open_backlog_by_status_counts_what_is_not_closed(database):
    w = build_world()
    history(w, ("sent", at("2026-06-01T08:00"), None))
    history(w, ("sent", at("2026-03-01T08:00"), None), responder=w.b2)  # long ago: open all the same
    history(w, ("sent", at("2026-06-01T08:00"), None), ("accepted", at("2026-06-02T08:00"), None), status=S.ACCEPTED)
    history(w, ("sent", at("2026-06-01T08:00"), None), ("accepted", at("2026-06-02T08:00"), None),
            ("answered", at("2026-06-05T08:00"), {"released": {}}), status=S.ANSWERED)
    history(w, ("sent", at("2026-06-01T08:00"), None), ("accepted", at("2026-06-02T08:00"), None),
            ("answered", at("2026-06-05T08:00"), {"released": {}}), ("answer_accepted", at("2026-06-06T08:00"), None),
            status=S.CLOSED)
    history(w, ("sent", at("2026-06-03T08:00"), None), ("withdrawn", at("2026-06-05T08:00"), None),
            status=S.WITHDRAWN)
    history(w, ("sent", at("2026-06-01T08:00"), None), responder=w.a, requester=w.c)  # the HU tree's
    board = coordinator_dashboard(actor=w.de_da, period=JUNE, now=NOW)
    assert board.open_by_status == (("sent", 2), ("accepted", 1), ("answer_awaiting_approval", 0), ("answered", 1),
                                    ("insisted", 0), ("in_referral", 0))
    assert sum(n for _s, n in board.open_by_status) == sum(board.backlog) == 4
    hu = coordinator_dashboard(actor=w.hu_da, period=JUNE, now=NOW)
    assert dict(hu.open_by_status)["sent"] == 1 and sum(n for _s, n in hu.open_by_status) == 1


def test_a_period_longer_than_the_trend_counts_the_same_requests(database):
    """Up to TREND_MONTHS months the figures are the sums of the trend's months; a longer period is counted
    on its own. Both ways give the same figures for the same requests."""
    from imi_app.scoreboard.board import TREND_MONTHS, Period, months_of

    w = build_world()
    for days in (3, 14.5, 20, 40):
        answered_after(w, days)
    answered_after(w, 12.0, responder=w.b2)
    history(w, ("sent", at("2026-06-01T08:00"), None))  # received, not accepted yet
    short = Period(JUNE.last.replace(year=JUNE.last.year - 2) + timedelta(days=1), JUNE.last)
    long = Period(short.first.replace(year=short.first.year - 1), JUNE.last)
    assert len(months_of(short)) <= TREND_MONTHS and months_of(short)[0].first == short.first
    assert months_of(long)[0].first != long.first  # the trend shows only the last months of it
    one, other = (coordinator_dashboard(actor=w.de_da, period=p, now=NOW) for p in (short, long))
    assert one.total == other.total and one.total.figures[1].basis == 5
    assert one.authorities == other.authorities and len(one.authorities) == 2
    assert one.answer_days == other.answer_days == (1, 2, 1, 1, 0)
    assert sum(one.volume) == 6 and one.trend[-1][1] == other.trend[-1][1]


def test_the_backlog_by_age_cuts_at_whole_days_on_both_sides_of_each_edge(database):
    """AGE_BUCKETS are 0-7, 8-30, 31-90 and over 90 days since the request arrived: 8 days to the minute is
    the second bucket, a minute less the first; the same at 31 and 91 days."""
    w = build_world()
    minute = timedelta(minutes=1)
    for days, later in ((8, minute), (8, timedelta(0)), (31, minute), (31, timedelta(0)), (91, minute),
                        (91, timedelta(0)), (400, timedelta(0))):
        history(w, ("sent", NOW - timedelta(days=days) + later, None))
    board = coordinator_dashboard(actor=w.de_da, period=JUNE, now=NOW)
    assert board.backlog == (1, 2, 2, 2)

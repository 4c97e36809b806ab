"""The requests behind a figure: the overview's figure filter lists exactly the requests the scoreboard counted
(on SQLite and PostgreSQL), and only within the viewer's reach."""

from __future__ import annotations

from datetime import date

import pytest

from imi_app.core.db import session_scope
from imi_app.core.errors import Denied
from imi_app.core import routes
from imi_app.requests.figure_list import FigureFilter, figure_requests, parse_figure_filter
from imi_app.requests.figures import INDICATOR_KEYS
from imi_app.scoreboard.board import INCOMING, OUTGOING, coordinator_dashboard
from imi_app.scoreboard.indicators import BY_KEY
from tests.scoreboard.test_indicators import JUNE, NOW, S, at, history
from tests.support.request_factories import audits, build_world


def behind(actor, indicator, *, authority=None, side=INCOMING, area=None, period=JUNE, after=None, limit=100):
    with session_scope() as session:
        return figure_requests(session, actor=actor, wanted=FigureFilter(
            indicator, period.first, period.last, authority, side, area), after=after, limit=limit, now=NOW)


def ids(page) -> set[int]:
    return {row.request_id for row in page.page.rows}


def _june(w) -> dict[int, int]:
    """The worked-out requests of test_indicators, numbered as there."""
    n = {}
    n[1] = history(w, ("sent", at("2026-06-01T08:00"), None),
                   ("accepted", at("2026-06-02T08:00"), {"reply_date": "2026-06-20"}),
                   ("answered", at("2026-06-10T08:00"), {"released": {}}),
                   ("answer_accepted", at("2026-06-11T08:00"), None),
                   ("rated", at("2026-06-12T08:00"), {"timeliness": "positive", "efforts": "negative"}),
                   status=S.CLOSED)
    n[2] = history(w, ("sent", at("2026-06-01T08:00"), None),
                   ("accepted", at("2026-06-09T08:00"), {"reply_date": "2026-06-15"}),
                   ("answered", at("2026-06-15T23:30"), {"released": {}}))
    n[3] = history(w, ("sent", at("2026-06-01T08:00"), None),
                   ("forwarded", at("2026-06-06T08:00"), {"from_authority_id": w.b.id, "to_authority_id": w.b2.id}),
                   ("accepted", at("2026-06-08T08:00"), {"reply_date": "2026-06-30"}),
                   ("answered", at("2026-06-28T08:00"), {"released": {}}), responder=w.b2)
    n[4] = history(w, ("sent", at("2026-06-03T08:00"), None), ("withdrawn", at("2026-06-05T08:00"), None),
                   status=S.WITHDRAWN)
    n[5] = history(w, ("sent", at("2026-06-28T08:00"), None))  # its 7 days not over at NOW: not counted yet
    n[6] = history(w, ("sent", at("2026-06-10T08:00"), None))
    n[7] = history(w, ("sent", at("2026-05-31T22:30"), None), ("accepted", at("2026-06-01T08:00"), None),
                   ("answered", at("2026-06-05T08:00"), {"released": {}}))
    n[8] = history(w, ("sent", at("2026-05-02T08:00"), None), ("accepted", at("2026-05-03T08:00"), None))
    n[9] = history(w, ("sent", at("2026-06-02T08:00"), None), responder=w.a, requester=w.c)  # AT -> HU
    return n


def test_each_figure_links_to_exactly_the_requests_it_counts(database):
    w = build_world()
    n = _june(w)
    expected = {"accepting": {1, 2, 3, 6, 7}, "answering": {1, 2, 3, 7}, "agreed_date": {1, 2, 3},
                "timeliness": {1}, "efforts": {1}}
    board = coordinator_dashboard(actor=w.de_da, period=JUNE, now=NOW)
    for f in board.total.figures:
        page = behind(w.de_da, f.key)
        assert ids(page) == {n[i] for i in expected[f.key]}, f.key
        assert page.total == f.basis == len(expected[f.key])
        assert page.whole_tree and page.name == "DE coordinator"
    for row in board.authorities:  # each row's figures, one authority each
        for f in row.card.figures:
            page = behind(w.de_da, f.key, authority=row.authority_id)
            assert page.total == len(page.page.rows) == f.basis, (row.name, f.key)
            assert not page.whole_tree and page.name == row.name
    assert ids(behind(w.de_da, "accepting", authority=w.b2.id)) == {n[3]}


def test_side_and_area_narrow_the_list_as_they_narrow_the_figure(database):
    w = build_world()
    n = _june(w)
    for side, actor in ((INCOMING, w.hu_da), (OUTGOING, w.hu_da), (OUTGOING, w.de_da)):
        for area in (w.pq.id, w.svc.id, None):
            board = coordinator_dashboard(actor=actor, period=JUNE, side=side, area_id=area, now=NOW)
            for f in board.total.figures:
                assert behind(actor, f.key, side=side, area=area).total == f.basis, (side, area, f.key)
    assert behind(w.hu_da, "accepting", side=OUTGOING).total == 5  # the HU tree sent 1, 2, 3, 6 and 7
    assert ids(behind(w.hu_da, "accepting")) == {n[9]}  # AT -> HU, its 7 days over
    assert behind(w.de_da, "accepting", area=w.svc.id).total == 0


def test_pages_of_the_list_hold_every_request_once(database):
    w = build_world()
    _june(w)
    first = behind(w.de_da, "accepting", limit=2)
    second = behind(w.de_da, "accepting", limit=2, after=first.page.next_cursor)
    third = behind(w.de_da, "accepting", limit=2, after=second.page.next_cursor)
    assert (first.page.next_cursor, second.page.next_cursor, third.page.next_cursor) == ("2", "4", None)
    assert len(ids(first) | ids(second) | ids(third)) == 5 == first.total


def test_a_coordinator_sees_the_subject_only_of_its_own_requests(database):
    w = build_world()
    _june(w)
    row = behind(w.de_da, "timeliness").page.rows[0]  # a request of Ärztekammer Berlin, not of the coordinator
    assert (row.subject, row.handlers, row.tree_authority) == ("", (), "Ärztekammer Berlin")
    own = behind(w.b_handler, "timeliness").page.rows[0]
    assert (own.subject, own.tree_authority) == ("A request", "")


@pytest.mark.parametrize(("who", "authority"), [
    ("de_da", "c"),  # another country's authority
    ("de_da", "a"),
    ("hu_da", "b"),
    ("b_handler", "b2"),  # an authority reaches only itself
    ("hu_staff", "a"),  # a coordinator's user without a coordinator's role is an authority like any other
    ("a_basic", "c"),
])
def test_an_address_edited_to_another_authority_is_refused_and_audited(database, who, authority):
    w = build_world()
    _june(w)
    with pytest.raises(Denied):
        behind(w.users[who], "accepting", authority=getattr(w, authority).id)
    assert [a.after["attempted"] for a in audits("access.denied")] == ["scoreboard.view"]


def test_an_authority_lists_its_own_figures_requests(database):
    w = build_world()
    n = _june(w)
    assert ids(behind(w.b_handler, "accepting")) == {n[1], n[2], n[6], n[7]}
    assert ids(behind(w.b_handler, "accepting", authority=w.b.id)) == {n[1], n[2], n[6], n[7]}
    assert ids(behind(w.b2_handler, "answering")) == {n[3]}


def test_the_address_round_trips_and_nonsense_is_no_filter():
    wanted = FigureFilter("agreed_date", date(2026, 6, 1), date(2026, 6, 30), 12, OUTGOING, 3)
    address = routes.requests_behind(wanted.query())
    assert address == "/requests?figure=agreed_date&side=outgoing&from=2026-06-01&to=2026-06-30&authority=12&area=3"
    assert parse_figure_filter(wanted.query()) == wanted
    assert parse_figure_filter({"figure": "accepting", "from": "2026-06-01", "to": "2026-06-30"}) == FigureFilter(
        "accepting", date(2026, 6, 1), date(2026, 6, 30))
    good = wanted.query()
    for bad in ({"figure": "speed"}, {"side": "sideways"}, {"from": "2026-07-01"}, {"to": "June"},
                {"authority": "-1"}, {"authority": "x"}, {"area": "0"}, {"from": "2019-01-01"}, {}):
        assert parse_figure_filter({**good, **bad} if bad else {}) is None, bad
    assert set(INDICATOR_KEYS) == set(BY_KEY)

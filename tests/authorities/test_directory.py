"""The directory on a real database: accent-free search in every name, filters, paging, hidden pending
authorities, literal wildcards, bad input, access and the detail in the reader's language."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from sqlmodel import func, select

from imi_app.core.db import get_engine, session_scope
from imi_app.core.audit import AuditEntry
from imi_app.authorities.models import (
    Authority, AuthorityArea, AuthorityName, AuthorityStatus, Country, LegislativeArea,
)
from imi_app.accounts.models import User
from imi_app.core.time import utcnow
from imi_app.authorities.directory import directory_filters, get_authority_entry, search_authorities
from imi_app.core.errors import Denied, ValidationFailed
from tests.support import factories as f


def _area(code: str, en: str, hu: str) -> LegislativeArea:
    with session_scope() as session:
        row = LegislativeArea(code=code, names={"en": en, "hu": hu})
        session.add(row)
        session.flush()
        return row


def _authority(country: str, name: str, *, areas: dict | None = None, status: str = AuthorityStatus.ACTIVE,
               names: dict | None = None, coordinator: Authority | None = None,
               is_coordinator: bool = False) -> Authority:
    with session_scope() as session:
        if session.get(Country, country) is None:
            session.add(Country(code=country))
            session.flush()
        slug = "".join(ch for ch in name.lower() if ch.isascii() and ch.isalnum())[:30] or "x"
        row = Authority(country_code=country, official_name=name, status=status, is_coordinator=is_coordinator,
                        parent_coordinator_id=coordinator.id if coordinator else None,
                        contact_email=f"{slug}@{country.lower()}.example", address=f"{name} utca 1",
                        phone="+36 1 555 0100", languages=f"en,{country.lower()}")
        session.add(row)
        session.flush()
        for area_id, keywords in (areas or {}).items():
            session.add(AuthorityArea(authority_id=row.id, area_id=area_id, keywords=keywords))
        for language, other in (names or {}).items():
            session.add(AuthorityName(authority_id=row.id, language=language, name=other))
        return row


@pytest.fixture
def world(database):
    pq = _area("professional_qualifications", "Professional qualifications", "Szakmai képesítések")
    svc = _area("services", "Services", "Szolgáltatások")
    hu_coord = _authority("HU", "Nemzeti IMI-koordinátor", areas={pq.id: "IMI", svc.id: "IMI"}, is_coordinator=True)
    mok = _authority("HU", "Magyar Orvosi Kamara", areas={pq.id: "orvos, diploma, szakorvos"}, coordinator=hu_coord,
                     names={"en": "Hungarian Medical Chamber", "de": "Ungarische Ärztekammer"})
    bkik = _authority("HU", "Budapesti Kereskedelmi és Iparkamara", areas={svc.id: "cégjegyzék, vállalkozás"},
                      coordinator=hu_coord)
    de_coord = _authority("DE", "Nationaler IMI-Koordinator", areas={pq.id: "IMI"}, is_coordinator=True)
    aek = _authority("DE", "Ärztekammer Berlin", areas={pq.id: "Arzt, Approbation", svc.id: "Praxis"},
                     coordinator=de_coord, names={"en": "Berlin Chamber of Physicians"})
    pending = _authority("HU", "Függő Orvosi Kamara", areas={pq.id: "orvos"}, status=AuthorityStatus.PENDING,
                         coordinator=hu_coord, names={"en": "Pending Medical Chamber"})
    rejected = _authority("AT", "Abgelehnte Ärztekammer", areas={pq.id: "Arzt"}, status=AuthorityStatus.REJECTED)
    return {
        "pq": pq, "svc": svc, "hu_coord": hu_coord, "mok": mok, "bkik": bkik, "de_coord": de_coord, "aek": aek,
        "pending": pending, "rejected": rejected,
        "basic": f.user(bkik), "hu_basic": f.user(mok, language="hu"), "inactive": f.user(mok, active=False),
    }


def _search(actor: User, **filters) -> tuple[list, int]:
    with session_scope() as session:
        return search_authorities(session, actor=actor, **filters)


def _names(actor: User, **filters) -> list[str]:
    return [row.official_name for row in _search(actor, page_size=100, **filters)[0]]


def _entry(actor: User, authority_id: object, language: str | None = None):
    with session_scope() as session:
        return get_authority_entry(session, actor=actor, authority_id=authority_id, language=language)


def _denied_count() -> int:
    with session_scope() as session:
        return session.exec(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "access.denied")).one()


# --- names, in any language, without accents or case ----------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("arztekammer berlin", "Ärztekammer Berlin"),
    ("ÄRZTEKAMMER BERLIN", "Ärztekammer Berlin"),
    ("orvosi kamara", "Magyar Orvosi Kamara"),
    ("Orvosi Kamara", "Magyar Orvosi Kamara"),
    ("örvösi", "Magyar Orvosi Kamara"),
    ("orvosi KAMARA", "Magyar Orvosi Kamara"),
    ("kamara magyar", "Magyar Orvosi Kamara"),  # every word, in any order
    ("Budapesti Kereskedelmi es Iparkamara", "Budapesti Kereskedelmi és Iparkamara"),
    ("  budapesti   kereskedelmi  ", "Budapesti Kereskedelmi és Iparkamara"),
])
def test_official_name_matches_without_accents_or_case(world, text, expected):
    assert _names(world["basic"], text=text) == [expected]


def test_names_in_other_languages_are_found_and_shown(world):
    rows, total = _search(world["basic"], text="hungarian medical")
    assert total == 1 and rows[0].official_name == "Magyar Orvosi Kamara"
    assert rows[0].other_name == "Hungarian Medical Chamber"
    assert _names(world["basic"], text="ungarische arztekammer") == ["Magyar Orvosi Kamara"]
    # "Ärztekammer" is the official name of one and a further name of the other.
    rows, _ = _search(world["basic"], text="Ärztekammer")
    assert {(r.official_name, r.other_name) for r in rows} == {
        ("Ärztekammer Berlin", ""), ("Magyar Orvosi Kamara", "Ungarische Ärztekammer")}
    assert _names(world["basic"], text="physicians") == ["Ärztekammer Berlin"]


# --- filters ------------------------------------------------------------------------------------

def test_country_area_and_keyword_filters_and_their_combination(world):
    actor, pq, svc = world["basic"], world["pq"], world["svc"]
    assert _names(actor, country="HU") == ["Budapesti Kereskedelmi és Iparkamara", "Magyar Orvosi Kamara",
                                           "Nemzeti IMI-koordinátor"]
    assert _names(actor, country="de") == ["Ärztekammer Berlin", "Nationaler IMI-Koordinator"]
    assert _names(actor, area_id=svc.id) == ["Ärztekammer Berlin", "Budapesti Kereskedelmi és Iparkamara",
                                             "Nemzeti IMI-koordinátor"]
    assert _names(actor, keyword="CEGJEGYZEK") == ["Budapesti Kereskedelmi és Iparkamara"]
    assert _names(actor, keyword="approbation arzt") == ["Ärztekammer Berlin"]
    # The keyword must belong to the chosen area.
    assert _names(actor, keyword="arzt", area_id=pq.id) == ["Ärztekammer Berlin"]
    assert _names(actor, keyword="arzt", area_id=svc.id) == []
    assert _names(actor, keyword="praxis", area_id=svc.id) == ["Ärztekammer Berlin"]
    assert _names(actor, text="kamara", country="HU", area_id=pq.id, keyword="orvos") == ["Magyar Orvosi Kamara"]
    assert _names(actor, text="imi", country="DE", area_id=pq.id) == ["Nationaler IMI-Koordinator"]


def test_rows_carry_country_areas_and_coordinator_flag(world):
    rows, _ = _search(world["basic"], country="DE")
    berlin, coordinator = rows
    assert (berlin.country_code, berlin.country_name) == ("DE", "Germany")
    assert berlin.areas == ("Professional qualifications", "Services")
    assert not berlin.is_coordinator and coordinator.is_coordinator
    rows, _ = _search(world["hu_basic"], country="HU", text="orvosi")
    assert rows[0].areas == ("Szakmai képesítések",) and rows[0].country_name == "Magyarország"


def test_filter_choices_are_named_in_the_readers_language(world):
    countries, areas = directory_filters(actor=world["hu_basic"])
    assert ("HU", "Magyarország") in countries and ("DE", "Németország") in countries
    assert [name for _id, name in areas] == ["Szakmai képesítések", "Szolgáltatások"]
    countries, _ = directory_filters(actor=world["hu_basic"], language="en")
    assert [code for code, _name in countries] == ["AT", "DE", "HU"]


# --- pending and rejected authorities ---------------------------------------------------------

def test_pending_and_rejected_are_never_listed_nor_openable(world):
    actor = world["basic"]
    listed = _names(actor)
    assert "Függő Orvosi Kamara" not in listed and "Abgelehnte Ärztekammer" not in listed
    assert _search(actor)[1] == 5
    assert _names(actor, text="fuggo") == [] and _names(actor, text="pending medical") == []
    assert _names(actor, text="abgelehnte") == [] and _names(actor, country="AT") == []
    before = _denied_count()
    for key in ("pending", "rejected"):
        with pytest.raises(Denied):
            _entry(actor, world[key].id)
    with pytest.raises(Denied):
        _entry(actor, 999_999)
    assert _denied_count() == before + 3


# --- paging and sorting -----------------------------------------------------------------------

def test_paging_is_complete_and_sorting_is_stable(world):
    actor = world["basic"]
    countries = ["HU", "DE", "AT"]
    made = [_authority(countries[i % 3], f"Hivatal {i % 7:02d}") for i in range(25)]  # equal names too
    seen = []
    for page in range(1, 5):
        rows, total = _search(actor, text="hivatal", page=page, page_size=7)
        assert total == 25
        seen += rows
    assert len(seen) == 25 and {r.id for r in seen} == {a.id for a in made}
    assert [(r.official_name, r.id) for r in seen] == sorted((r.official_name, r.id) for r in seen)
    assert _search(actor, text="hivatal", page=5, page_size=7)[0] == []
    by_country, _ = _search(actor, text="hivatal", sort="country", page_size=100)
    # Austria, Germany, Hungary: by the country's English name, then by name and id.
    expected = sorted(seen, key=lambda r: (["AT", "DE", "HU"].index(r.country_code), r.official_name, r.id))
    assert [r.id for r in by_country] == [r.id for r in expected]
    again, _ = _search(actor, text="hivatal", sort="country", page_size=100)
    assert [r.id for r in again] == [r.id for r in by_country]


def test_like_wildcards_in_input_are_literal(world):
    _authority("HU", "Hivatal 100% Teszt", areas={world["pq"].id: "a_b"})
    _authority("HU", "Hivatal_Alias")
    actor = world["basic"]
    assert _names(actor, text="%") == ["Hivatal 100% Teszt"]
    assert _names(actor, text="_") == ["Hivatal_Alias"]
    assert _names(actor, text="l_a") == ["Hivatal_Alias"]
    assert _names(actor, text="\\") == []
    assert _names(actor, keyword="a_b") == ["Hivatal 100% Teszt"]
    assert _names(actor, keyword="%") == []
    assert _names(actor, text="' OR 1=1--") == []


# --- bad input ----------------------------------------------------------------------------------

@pytest.mark.parametrize("filters, field, message", [
    ({"text": "x" * 201}, "text", "This text is too long."),
    ({"text": "orvosi\x00"}, "text", "This text contains characters that are not allowed."),
    ({"text": "Kiss\u202dÁgnes"}, "text", "This text contains characters that are not allowed."),
    ({"text": ["a"]}, "text", "This value is not valid."),
    ({"keyword": "k" * 10_000_000}, "keyword", "This text is too long."),
    ({"keyword": "a\u202eb"}, "keyword", "This text contains characters that are not allowed."),
    ({"country": "XX"}, "country", "Choose a country from the list."),
    ({"country": "HUN"}, "country", "Choose a country from the list."),
    ({"country": 36}, "country", "Choose a country from the list."),
    ({"area_id": 999_999}, "area", "Choose a legislative area from the list."),
    ({"area_id": "1"}, "area", "Choose a legislative area from the list."),
    ({"area_id": True}, "area", "Choose a legislative area from the list."),
    ({"sort": "name; drop table authority"}, "sort", "This value is not valid."),
    ({"page": 0}, "page", "This value is not valid."),
    ({"page": "2"}, "page", "This value is not valid."),
    ({"page_size": 10_000}, "page_size", "This value is not valid."),
])
def test_bad_input_gets_a_clear_message(world, filters, field, message):
    before = _denied_count()
    with pytest.raises(ValidationFailed) as failure:
        _search(world["basic"], **filters)
    assert failure.value.errors == {field: message}
    assert _denied_count() == before


def test_several_bad_fields_are_reported_together(world):
    with pytest.raises(ValidationFailed) as failure:
        _search(world["basic"], text="x" * 300, country="ZZ", area_id=-1, sort="id")
    assert set(failure.value.errors) == {"text", "country", "area", "sort"}


@pytest.mark.parametrize("value", ["12", None, 1.5, [1], {"id": 1}, True])
def test_detail_with_a_wrong_id_type_is_not_found(world, value):
    before = _denied_count()
    with pytest.raises(Denied):
        _entry(world["basic"], value)
    assert _denied_count() == before + 1


# --- who may search ---------------------------------------------------------------------------

def test_a_basic_user_of_any_country_searches_all_countries(world):
    de_basic = f.user(world["aek"])
    assert _search(world["basic"])[1] == _search(de_basic)[1] == 5
    assert _entry(de_basic, world["mok"].id).official_name == "Magyar Orvosi Kamara"


def test_no_or_inactive_actor_is_denied_and_audited(world):
    blocked = f.user(world["mok"])
    with session_scope() as session:
        row = session.get(User, blocked.id)
        row.blocked_at = utcnow()
    before = _denied_count()
    for actor in (None, world["inactive"], f.reload(User, blocked.id)):
        with pytest.raises(Denied):
            _search(actor, text="kamara")
        with pytest.raises(Denied):
            _entry(actor, world["mok"].id)
        with pytest.raises(Denied):
            directory_filters(actor=actor)
    assert _denied_count() == before + 9


# --- the detail ---------------------------------------------------------------------------------

def test_detail_has_contact_areas_coordinator_and_other_names(world):
    entry = _entry(world["basic"], world["mok"].id)
    assert entry.official_name == "Magyar Orvosi Kamara"
    assert (entry.country_code, entry.country_name) == ("HU", "Hungary")
    assert entry.contact_email == "magyarorvosikamara@hu.example"
    assert entry.address == "Magyar Orvosi Kamara utca 1" and entry.phone == "+36 1 555 0100"
    assert entry.languages == ("English", "Hungarian")
    assert [(a.name, a.keywords) for a in entry.areas] == [
        ("Professional qualifications", ("orvos", "diploma", "szakorvos"))]
    assert entry.coordinator.name == "Nemzeti IMI-koordinátor"
    assert entry.coordinator.contact_email == "nemzetiimikoordintor@hu.example"
    assert not entry.is_coordinator
    assert [(n.language, n.language_name, n.name) for n in entry.other_names] == [
        ("de", "German", "Ungarische Ärztekammer"), ("en", "English", "Hungarian Medical Chamber")]
    coordinator = _entry(world["basic"], world["hu_coord"].id)
    assert coordinator.is_coordinator and coordinator.coordinator is None


def test_detail_follows_the_users_language(world):
    entry = _entry(world["hu_basic"], world["aek"].id)
    assert [a.name for a in entry.areas] == ["Szakmai képesítések", "Szolgáltatások"]
    assert entry.country_name == "Németország"
    assert entry.languages == ("Angol", "Német")
    assert [a.name for a in _entry(world["basic"], world["aek"].id).areas] == [
        "Professional qualifications", "Services"]
    # The screen's language wins over the account's when the state passes it.
    assert [a.name for a in _entry(world["hu_basic"], world["aek"].id, "en").areas] == [
        "Professional qualifications", "Services"]


# --- no N+1 -------------------------------------------------------------------------------------

@contextmanager
def _statements():
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        seen.append(statement)

    engine = get_engine()
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def test_a_page_costs_a_fixed_number_of_queries(world):
    for i in range(40):
        _authority("HU", f"Kamara {i:02d}", areas={world["pq"].id: "x", world["svc"].id: "y"},
                   names={"en": f"Chamber {i:02d}"})
    with _statements() as small:
        assert len(_search(world["basic"], text="chamber", page_size=2)[0]) == 2
    with _statements() as large:
        assert len(_search(world["basic"], text="chamber", page_size=40)[0]) == 40
    selects = [s for s in large if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == len([s for s in small if s.lstrip().upper().startswith("SELECT")]) <= 4


# --- the screens' handlers, called straight over the event channel -----------------------------

def _states(actor: User | None, *entry_paths: str) -> list:
    """The search state, then one entry state per path, all with one session cookie of `actor`."""
    from imi_app.authorities.ui.directory_state import DirectoryEntryState, DirectoryState
    from tests.support.handlers import state_for, token_for as _token

    cookie = f"imi_session={_token(actor)}" if actor else ""
    return [state_for(DirectoryState, cookie=cookie, path="/directory")] + [
        state_for(DirectoryEntryState, cookie=cookie, path=path) for path in entry_paths]


def test_handlers_search_and_open_an_entry_for_a_signed_in_user(world):
    from imi_app.authorities.ui.directory_state import DirectoryEntryState, DirectoryState
    from tests.support.handlers import call

    search, entry = _states(world["basic"], f"/directory/{world['mok'].id}")
    call(DirectoryState.open_directory, search)
    assert search.access == "ready" and search.total == 5 and ["HU", "Hungary"] in search.countries
    call(DirectoryState.set_text, search, "orvosi KAMARA")
    call(DirectoryState.set_country, search, "HU")
    assert [r["name"] for r in search.rows] == ["Magyar Orvosi Kamara"]
    call(DirectoryEntryState.open_entry, entry)
    assert entry.access == "ready" and entry.entry["email"] == "magyarorvosikamara@hu.example"
    call(DirectoryState.open_directory, search)  # coming back keeps the filters
    assert (search.text, search.country, search.total) == ("orvosi KAMARA", "HU", 1)


def test_handlers_without_a_session_show_nothing(world):
    from imi_app.authorities.ui.directory_state import DirectoryEntryState, DirectoryState
    from tests.support.handlers import call

    search, entry = _states(None, f"/directory/{world['mok'].id}")
    for handler, args in ((DirectoryState.open_directory, ()), (DirectoryState.set_text, ("kamara",)),
                          (DirectoryState.next_page, ())):
        call(handler, search, *args)
        assert search.rows == [] and search.total == 0
    call(DirectoryEntryState.open_entry, entry)
    assert entry.access != "ready" and entry.entry == {}


@pytest.mark.parametrize("value", [None, 5, ["kamara"], {"x": 1}, "x" * 10_000_000, "\x00", "'; --"])
def test_handlers_survive_wrong_types_and_bad_input(world, value):
    from imi_app.authorities.ui.directory_state import DirectoryEntryState, DirectoryState
    from tests.support.handlers import call

    search, entry, pending = _states(world["basic"], f"/directory/-{value!s:.20}",
                                     f"/directory/{world['pending'].id}")
    call(DirectoryState.open_directory, search)
    for handler in (DirectoryState.set_text, DirectoryState.set_keyword, DirectoryState.set_country,
                    DirectoryState.set_area, DirectoryState.set_sort):
        call(handler, search, value)
        assert search.access == "ready"
        if search.errors:
            assert search.rows == [] and search.total == 0
        call(DirectoryState.clear_filters, search)
        assert search.errors == {} and search.total == 5
    call(DirectoryEntryState.open_entry, entry)
    assert entry.access == "not_found" and entry.entry == {}
    call(DirectoryEntryState.open_entry, pending)
    assert pending.access == "not_found" and pending.entry == {}

"""Linked authorities and their overview on a real database, and the permission matrix of this feature."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session, func, select

from imi_app.core.db import get_engine, session_scope
from imi_app.requests.models import Attachment, InfoRequest, Question, RequestPerson, RequestQuestion, RequestStatus
from imi_app.core.audit import AuditEntry
from imi_app.authorities.models import Authority, AuthorityLink, AuthorityName, AuthorityStatus, CoordinatorSetting
from imi_app.accounts.models import Role, RoleAssignment, User
from imi_app.policy import can
from imi_app.authorities import links
from imi_app.authorities.coordinator_settings import get_settings, grant_data_admin, revoke_data_admin, update_setting
from imi_app.core.errors import Conflict, Denied, ValidationFailed
from tests.support import factories as f

SECRETS = ("Dr. Kiss János", "1978-03-14", "Confidential note", "Budapest, Titok utca 1", "The diploma is forged",
           "kiss-diploma.pdf", "REG-555")


@pytest.fixture
def world(database):
    pq, svc = f.area("professional_qualifications"), f.area("services")
    coordinator = f.authority("HU", areas=[pq, svc], is_coordinator=True, name="HU coordinator")
    a = f.authority("HU", areas=[pq, svc], coordinator=coordinator, name="Magyar Orvosi Kamara")
    b = f.authority("HU", areas=[pq], coordinator=coordinator, name="Oktatási Hivatal")
    c = f.authority("HU", areas=[pq], coordinator=coordinator, name="Budapesti Kamara")
    pending = f.authority("HU", areas=[pq], coordinator=coordinator, name="Pending Hivatal")
    rejected = f.authority("HU", areas=[pq], coordinator=coordinator, name="Rejected Hivatal")
    with session_scope() as session:
        session.get(Authority, pending.id).status = AuthorityStatus.PENDING
        session.get(Authority, rejected.id).status = AuthorityStatus.REJECTED
        session.add(AuthorityName(authority_id=c.id, language="en", name="Budapest Chamber of Commerce"))
    de_coordinator = f.authority("DE", areas=[pq, svc], is_coordinator=True)
    d = f.authority("DE", areas=[pq], coordinator=de_coordinator, name="Ärztekammer Berlin")
    return {
        "pq": pq, "svc": svc, "coordinator": coordinator, "a": a, "b": b, "c": c, "pending": pending,
        "rejected": rejected, "de_coordinator": de_coordinator, "d": d,
        "da": f.user(coordinator, roles={pq.id: [Role.DATA_ADMINISTRATOR]}),
        "da2": f.user(coordinator, roles={pq.id: [Role.DATA_ADMINISTRATOR]}),
        "da_svc": f.user(coordinator, roles={svc.id: [Role.DATA_ADMINISTRATOR]}),
        "staff": f.user(coordinator),
        "de_da": f.user(de_coordinator, roles={pq.id: [Role.DATA_ADMINISTRATOR]}),
        "lda": f.user(a, is_lda=True), "handler": f.user(a, roles={pq.id: [Role.REQUEST_HANDLER]}),
        "basic": f.user(a), "linked": f.user(b), "linked_lda": f.user(b, is_lda=True), "unrelated": f.user(c),
        "pending_lda": f.user(pending, is_lda=True), "de_lda": f.user(d, is_lda=True),
    }


def _link(actor, linked_id):
    with session_scope() as session:
        return links.link_authority(session, actor=actor, linked_authority_id=linked_id)


def _unlink(actor, linked_id):
    links.unlink_authority(actor=actor, linked_authority_id=linked_id)


def _links() -> set[tuple[int, int]]:
    with session_scope() as session:
        return {(x.authority_id, x.linked_authority_id) for x in session.exec(select(AuthorityLink)).all()}


def _count(action: str) -> int:
    with session_scope() as session:
        return session.exec(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == action)).one()


NOT_SENT = (RequestStatus.DRAFT, RequestStatus.AWAITING_APPROVAL)


def _request(case_id, requester, responder, status, area, *, days=0, person="Dr. Kiss János") -> int:
    at = datetime(2026, 2, 1, tzinfo=UTC) + timedelta(days=days)
    with session_scope() as session:
        row = InfoRequest(case_id=case_id, area_id=area.id, requesting_authority_id=requester.id,
                          responding_authority_id=responder.id, status=status, subject=f"Subject {case_id}",
                          free_text="Confidential note about the doctor", created_at=at, updated_at=at,
                          sent_at=None if status in NOT_SENT else at, deadline=date(2026, 3, 1))
        session.add(row)
        session.flush()
        session.add(RequestPerson(request_id=row.id, full_name=person, birth_date=date(1978, 3, 14),
                                  address="Budapest, Titok utca 1", registration_number="REG-555"))
        return row.id


@pytest.fixture
def exchanges(world):
    """A's exchanges with D: 3 sent and an outgoing draft, 3 incoming plus D's draft and D's request still
    awaiting approval (neither sent yet)."""
    a, d, b, pq, svc = world["a"], world["d"], world["b"], world["pq"], world["svc"]
    ids = [
        _request("IMI-1", a, d, RequestStatus.SENT, pq, days=1),
        _request("IMI-2", a, d, RequestStatus.CLOSED, pq, days=2),
        _request("IMI-3", a, d, RequestStatus.DRAFT, svc, days=3),
        _request("IMI-4", a, d, RequestStatus.ANSWERED, pq, days=4),
        _request("IMI-5", d, a, RequestStatus.SENT, pq, days=5),
        _request("IMI-6", d, a, RequestStatus.ANSWERED, svc, days=6),
        _request("IMI-7", d, a, RequestStatus.CLOSED, pq, days=7),
        _request("IMI-8", d, a, RequestStatus.DRAFT, pq, days=8),  # D's own draft
        _request("IMI-9", d, a, RequestStatus.AWAITING_APPROVAL, pq, days=9),  # still at D's coordinator
        _request("IMI-10", b, d, RequestStatus.SENT, pq, days=10),  # B's, not A's
    ]
    with session_scope() as session:
        question = Question(area_id=pq.id, code="diploma_valid", texts={"en": "Is the diploma valid?"})
        session.add(question)
        session.flush()
        session.add(RequestQuestion(request_id=ids[0], question_id=question.id, answer="The diploma is forged"))
        session.add(Attachment(request_id=ids[0], stored_name="x1", original_name="kiss-diploma.pdf",
                               content_type="application/pdf", size=10))
    _link(world["lda"], world["b"].id)
    return ids


# --- linking ------------------------------------------------------------------------------------

def test_the_lda_links_and_unlinks_an_authority_of_the_same_country(world):
    _link(world["lda"], world["b"].id)
    assert _links() == {(world["a"].id, world["b"].id)}
    with session_scope() as session:
        rows, total = links.list_links(session, actor=world["lda"])
    assert total == 1 and [(r.authority_id, r.name) for r in rows] == [(world["b"].id, "Oktatási Hivatal")]
    assert rows[0].linked_at is not None and rows[0].linked_at.tzinfo is not None
    with session_scope() as session:
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "authority_link.create")).one()
    assert entry.after["linked_authority_id"] == world["b"].id and entry.actor_user_id == world["lda"].id
    _unlink(world["lda"], world["b"].id)
    assert _links() == set() and _count("authority_link.delete") == 1


def test_a_duplicate_link_is_refused_clearly(world):
    _link(world["lda"], world["b"].id)
    with pytest.raises(Conflict) as error:
        _link(world["lda"], world["b"].id)
    assert "already linked" in error.value.message
    assert _links() == {(world["a"].id, world["b"].id)}


@pytest.mark.parametrize("target", ["a", "d", "de_coordinator", "pending", "rejected"])
def test_self_cross_country_and_inactive_links_are_refused_and_audited(world, target):
    before = _count("access.denied")
    with pytest.raises(Denied):
        _link(world["lda"], world[target].id)
    assert _links() == set() and _count("access.denied") == before + 1


@pytest.mark.parametrize("bad", [None, "5", True, 3.0, [1], {"id": 1}, 10**9, 10**12, 2**70, -1, 0])
def test_wrong_values_are_refused(world, bad):
    with pytest.raises(Denied):
        _link(world["lda"], bad)
    with pytest.raises(Denied):
        _unlink(world["lda"], bad)
    assert _links() == set()


@pytest.mark.parametrize("actor", ["basic", "handler", "da", "linked", "pending_lda", "de_lda"])
def test_only_the_lda_of_the_authority_links_it(world, actor):
    _link(world["lda"], world["b"].id)
    with pytest.raises(Denied):
        _link(world[actor], world["c"].id)
    with pytest.raises(Denied):
        _unlink(world[actor], world["b"].id)
    assert _links() == {(world["a"].id, world["b"].id)}


def test_a_pending_authority_cannot_link(world):
    with pytest.raises(Denied):
        _link(world["pending_lda"], world["b"].id)


def test_search_finds_same_country_active_authorities_accent_insensitively(world):
    _link(world["lda"], world["b"].id)
    with session_scope() as session:
        found, total = links.search_linkable(session, actor=world["lda"], text="OKTATASI")
        everyone, all_total = links.search_linkable(session, actor=world["lda"])
        other_language, _ = links.search_linkable(session, actor=world["lda"], text="chamber of comm")
        wildcard, _ = links.search_linkable(session, actor=world["lda"], text="%")
        control, _ = links.search_linkable(session, actor=world["lda"], text="okta\x00tasi\n")
        assert [c.authority_id for c in control] == [world["b"].id]
    assert [(c.name, c.is_linked) for c in found] == [("Oktatási Hivatal", True)] and total == 1
    assert {c.authority_id for c in everyone} == {world["coordinator"].id, world["b"].id, world["c"].id}
    assert all_total == 3  # not A itself, not pending/rejected, not DE
    assert [c.authority_id for c in other_language] == [world["c"].id]
    assert wildcard == []
    with session_scope() as session, pytest.raises(Denied):
        links.search_linkable(session, actor=world["basic"], text="")


def test_search_and_list_are_paginated(world):
    for number in range(25):
        other = f.authority("HU", name=f"Hivatal {number:02d}")
        _link(world["lda"], other.id)
    with session_scope() as session:
        first, total = links.search_linkable(session, actor=world["lda"], text="hivatal", page=1)
        second, _ = links.search_linkable(session, actor=world["lda"], text="hivatal", page=2)
        linked_page, linked_total = links.list_links(session, actor=world["lda"], page=2)
    assert total == 26 and len(first) == links.PAGE_SIZE and len(second) == 6
    assert not {c.authority_id for c in first} & {c.authority_id for c in second}
    assert linked_total == 25 and len(linked_page) == 5


# --- the overview --------------------------------------------------------------------------------

def _overview(actor, authority_id, **kwargs):
    with session_scope() as session:
        return links.exchange_overview(session, actor=actor, authority_id=authority_id, **kwargs)


def test_the_linked_user_sees_who_linked_them(world, exchanges):
    with session_scope() as session:
        assert links.linking_authorities(session, actor=world["linked"]) == [
            links.LinkingAuthority(world["a"].id, "Magyar Orvosi Kamara")]
        assert links.linking_authorities(session, actor=world["unrelated"]) == []
        assert links.linking_authorities(session, actor=world["lda"]) == []


def test_the_overview_counts_by_status_and_area(world, exchanges):
    overview = _overview(world["linked"], world["a"].id)
    assert overview.authority_name == "Magyar Orvosi Kamara"
    assert overview.total == 6  # IMI-3 (A's draft), IMI-8 and IMI-9 are not sent yet; IMI-10 is B's
    assert [(s.status, s.count) for s in overview.by_status] == [("sent", 2), ("answered", 2), ("closed", 2)]
    assert [(x.area_code, x.count) for x in overview.by_area] == [("professional_qualifications", 5), ("services", 1)]
    directions = {s.case_id: s.direction for s in overview.subjects}
    assert directions == {"IMI-1": "outgoing", "IMI-2": "outgoing", "IMI-4": "outgoing",
                          "IMI-5": "incoming", "IMI-6": "incoming", "IMI-7": "incoming"}
    assert [s.case_id for s in overview.subjects][:2] == ["IMI-7", "IMI-6"]  # newest first
    assert overview.subjects[0].sent_at.tzinfo is not None


def test_the_overview_never_returns_personal_data_free_text_answers_or_files(world, exchanges):
    overview = _overview(world["linked"], world["a"].id)
    text = repr(dataclasses.asdict(overview))
    for secret in SECRETS:
        assert secret not in text
    fields = {field.name for field in dataclasses.fields(links.SubjectRow)}
    assert fields == {"case_id", "status", "area_id", "area_code", "area_names", "question_set", "direction",
                      "created_at", "sent_at", "updated_at", "deadline", "closed_at"}
    assert "Subject IMI-" not in text  # the subject is free text too


def test_the_overview_shows_only_sent_exchanges_named_by_area_and_question_set(world, exchanges):
    """The linking authority's drafts and its requests still at its coordinator are not exchanges yet."""
    a, d, pq = world["a"], world["d"], world["pq"]
    _request("IMI-11", a, d, RequestStatus.AWAITING_APPROVAL, pq, days=11)
    _request("IMI-12", a, d, RequestStatus.DRAFT, pq, days=12)
    overview = _overview(world["linked"], a.id)
    shown = {s.case_id for s in overview.subjects}
    assert shown == {"IMI-1", "IMI-2", "IMI-4", "IMI-5", "IMI-6", "IMI-7"} and overview.total == 6
    assert not {s.status for s in overview.by_status} & set(NOT_SENT)
    assert sum(x.count for x in overview.by_area) == 6
    rows = {s.case_id: s for s in overview.subjects}
    assert (rows["IMI-7"].area_code, rows["IMI-7"].area_names) == ("professional_qualifications", dict(pq.names))
    assert rows["IMI-7"].question_set["en"] == "Verification of a professional qualification"
    assert rows["IMI-6"].question_set["hu"] == "Szolgáltató ellenőrzése"
    assert "Subject IMI-" not in repr(dataclasses.asdict(overview))


def test_the_overview_is_paginated(world, exchanges):
    first = _overview(world["linked"], world["a"].id, page=1, page_size=4)
    last = _overview(world["linked"], world["a"].id, page=2, page_size=4)
    beyond = _overview(world["linked"], world["a"].id, page=99, page_size=4)
    assert len(first.subjects) == 4 and len(last.subjects) == 2 and first.total == 6
    assert beyond.page == 2 and [s.case_id for s in beyond.subjects] == [s.case_id for s in last.subjects]
    assert _overview(world["linked"], world["a"].id, page="x").page == 1
    assert _overview(world["linked"], world["a"].id, page=2**70).page == 1
    with session_scope() as session:
        rows, total = links.list_links(session, actor=world["lda"], page=10**15)  # read as the first page
    assert total == 1 and [r.authority_id for r in rows] == [world["b"].id]


@pytest.mark.parametrize("actor", ["unrelated", "lda", "basic", "da", "de_lda"])
def test_only_users_of_the_linked_authority_see_the_overview(world, exchanges, actor):
    before = _count("access.denied")
    with pytest.raises(Denied):
        _overview(world[actor], world["a"].id)
    assert _count("access.denied") == before + 1


def test_unlinking_ends_the_overview(world, exchanges):
    assert _overview(world["linked_lda"], world["a"].id).total == 6
    _unlink(world["lda"], world["b"].id)
    with pytest.raises(Denied):
        _overview(world["linked"], world["a"].id)
    for bad in (None, "1", True, 10**9, 10**12):
        with pytest.raises(Denied):
            _overview(world["linked"], bad)


def test_an_authority_without_exchanges_has_an_empty_overview(world):
    _link(world["lda"], world["b"].id)
    overview = _overview(world["linked"], world["a"].id)
    assert (overview.total, overview.by_status, overview.by_area, overview.subjects, overview.page) == (0, (), (), (), 1)


# --- the permission matrix -----------------------------------------------------------------------

ACTORS = ["da", "da_svc", "de_da", "lda", "handler", "basic", "linked", "unrelated"]
# action -> the actors allowed; everybody else is denied.
EXPECTED = {
    "coordinator_settings.view": {"da", "da_svc"},
    "coordinator_settings.edit": {"da"},
    "data_admin.grant": {"da"},
    "data_admin.revoke": {"da"},
    "authority_link.list": {"lda"},
    "authority_link.create": {"lda"},
    "authority_link.delete": {"lda"},
    "linked_overview.view": {"linked"},
}


def _objects(world) -> dict[str, object]:
    """The HU objects every actor tries each action on."""
    hu, pq = world["coordinator"], world["pq"]
    return {
        "coordinator_settings.view": hu,
        "coordinator_settings.edit": CoordinatorSetting(coordinator_id=hu.id, area_id=pq.id),
        "data_admin.grant": CoordinatorSetting(coordinator_id=hu.id, area_id=pq.id),
        "data_admin.revoke": CoordinatorSetting(coordinator_id=hu.id, area_id=pq.id),
        "authority_link.list": world["a"],
        "authority_link.create": AuthorityLink(authority_id=world["a"].id, linked_authority_id=world["c"].id),
        "authority_link.delete": AuthorityLink(authority_id=world["a"].id, linked_authority_id=world["b"].id),
        "linked_overview.view": AuthorityLink(authority_id=world["a"].id, linked_authority_id=world["b"].id),
    }


def test_policy_matrix(world):
    objects = _objects(world)
    with session_scope() as session:
        actual = {action: {who for who in ACTORS if can(session, world[who], action, obj)}
                  for action, obj in objects.items()}
    assert actual == EXPECTED


def _service_calls(world) -> dict[str, object]:
    hu, pq = world["coordinator"], world["pq"].id
    return {
        "coordinator_settings.view": lambda s, u: get_settings(s, actor=u, coordinator_id=hu.id),
        "coordinator_settings.edit": lambda s, u: update_setting.within(
            s, actor=u, area_id=pq, referral_mode="none", referee_user_id=None, approve_requests=True,
            approve_answers=False),
        "data_admin.grant": lambda s, u: grant_data_admin.within(s, actor=u, area_id=pq, user_id=world["staff"].id),
        "data_admin.revoke": lambda s, u: revoke_data_admin.within(s, actor=u, area_id=pq, user_id=world["da2"].id),
        "authority_link.list": lambda s, u: links.list_links(s, actor=u),
        "authority_link.create": lambda s, u: links.link_authority(s, actor=u, linked_authority_id=world["c"].id),
        "authority_link.delete": lambda s, u: links.unlink_authority.within(s, actor=u, linked_authority_id=world["b"].id),
        "linked_overview.view": lambda s, u: links.exchange_overview(s, actor=u, authority_id=world["a"].id),
    }


def _outcome(call, actor) -> bool:
    """Whether the service let the actor through; whatever it did is rolled back."""
    with Session(get_engine()) as session:
        try:
            call(session, actor)
            return True
        except Denied:
            return False
        except (Conflict, ValidationFailed):
            return True
        finally:
            session.rollback()


def test_service_matrix(world, exchanges):
    """The same matrix through the services. Editing settings always means one's own coordinator's (the
    service takes no coordinator), so the DE data administrator's cell is left to the policy matrix."""
    calls = _service_calls(world)
    actual = {}
    for action, call in calls.items():
        allowed = set()
        for who in ACTORS:
            actor = world[who]
            if action == "coordinator_settings.edit" and who == "de_da":
                continue
            if _outcome(call, actor):
                allowed.add(who)
        actual[action] = allowed
    assert actual == EXPECTED
    with session_scope() as session:
        assert session.exec(select(CoordinatorSetting)).all() == []
        assert session.exec(select(RoleAssignment).where(RoleAssignment.user_id == world["staff"].id)).all() == []
    assert _links() == {(world["a"].id, world["b"].id)}


def test_disabled_users_are_denied_everything(world, exchanges):
    with session_scope() as session:
        for key in ("da", "lda", "linked"):
            session.get(User, world[key].id).is_active = False
    objects = _objects(world)
    with session_scope() as session:
        for key in ("da", "lda", "linked"):
            actor = session.get(User, world[key].id)
            assert not any(can(session, actor, action, obj) for action, obj in objects.items())


# --- handlers, called straight over the event channel ----------------------------------------------

def _state(state_cls, user: User, path: str):
    from tests.support.handlers import state_for, token_for as _token
    return state_for(state_cls, cookie=f"imi_session={_token(user)}", path=path)


def test_link_handlers_link_and_unlink_for_the_lda(world):
    from imi_app.authorities.ui.links_state import LinksState as S
    from tests.support.handlers import call
    state = _state(S, world["lda"], "/admin/links")
    call(S.open_links, state)
    assert state.access == "ready" and state.linked == [] and state.candidates_total == 3
    call(S.set_search, state, "oktatasi")
    assert [c["name"] for c in state.candidates] == ["Oktatási Hivatal"]
    call(S.link, state, str(world["b"].id))
    assert _links() == {(world["a"].id, world["b"].id)} and state.linked[0]["name"] == "Oktatási Hivatal"
    call(S.ask_unlink, state, str(world["b"].id))
    call(S.confirm_unlink, state)
    assert _links() == set() and state.linked == []


def test_link_handlers_refuse_others_and_survive_wrong_types(world):
    from imi_app.authorities.ui.links_state import LinksState as S
    from tests.support.handlers import call
    _link(world["lda"], world["b"].id)
    for who in ("basic", "handler", "linked", "da"):
        state = _state(S, world[who], "/admin/links")
        call(S.open_links, state)
        assert state.access == "no_access" and state.candidates == [] and state.linked == []
        call(S.link, state, str(world["c"].id))
        state.unlink_target = {"id": str(world["b"].id), "name": "x"}
        call(S.confirm_unlink, state)
    state = _state(S, world["lda"], "/admin/links")
    call(S.open_links, state)
    for bad in (None, 5, ["1"], {"x": 1}, "x" * 10_000, str(world["d"].id), str(world["pending"].id), "-1"):
        call(S.link, state, bad)
        call(S.set_search, state, bad)
        call(S.ask_unlink, state, bad)
    state.unlink_target = {"id": "<script>", "name": "x"}
    call(S.confirm_unlink, state)
    assert _links() == {(world["a"].id, world["b"].id)} and state.access == "ready"


def test_the_overview_handlers_show_only_what_the_user_may_see(world, exchanges):
    from imi_app.authorities.ui.links_state import LinkedOverviewState as S
    from tests.support.handlers import call
    state = _state(S, world["linked"], "/linked")
    call(S.open_overview, state)
    assert state.access == "ready" and state.linking_name == "Magyar Orvosi Kamara" and state.total == 6
    assert {r["case_id"] for r in state.subjects} == {f"IMI-{n}" for n in (1, 2, 4, 5, 6, 7)}
    assert {r["question_set"] for r in state.subjects} == {"Verification of a professional qualification",
                                                          "Verification of a service provider"}
    assert [(s["status"], s["count"]) for s in state.by_status][-1] == ("closed", 2)
    shown = repr((state.subjects, state.by_status, state.by_area))
    assert not any(secret in shown for secret in SECRETS)
    other = _state(S, world["unrelated"], "/linked")
    call(S.open_overview, other)
    assert other.access == "ready" and other.linking == [] and other.subjects == []
    for bad in (str(world["a"].id), None, 7, ["1"]):
        call(S.choose, other, bad)
        other.selected = str(world["a"].id)  # a forged selection is dropped on the next load
        call(S.next_page, other)
        assert other.subjects == [] and other.total == 0 and other.selected == ""


def test_the_demo_seed_is_idempotent_and_shows_no_personal_data(database):
    from imi_app.demo import links as demo
    from imi_app.demo.seed import seed_demo
    seed_demo()
    for _ in range(2):
        with session_scope() as session:
            demo.seed(session)
    with session_scope() as session:
        requests = session.exec(select(InfoRequest).order_by(InfoRequest.case_id)).all()
        people = session.exec(select(func.count()).select_from(RequestPerson)).one()
        edu = session.exec(select(User).where(User.username == "hu.edu")).one()
        referee = session.exec(select(User).where(User.username == "hu.referee")).one()
        chamber = session.exec(select(Authority).where(Authority.official_name == "Magyar Orvosi Kamara")).one()
        office = session.get(Authority, edu.authority_id)
        coordinator = session.get(Authority, referee.authority_id)
        hu_lda = session.exec(select(User).where(User.username == "hu.lda")).one()
    assert len(requests) == 8 and people == 8 and {r.case_id for r in requests} == set(demo.case_ids().values())
    assert office.official_name == "Oktatási Hivatal" and not edu.is_lda and not edu.password_is_temporary
    assert coordinator.is_coordinator and coordinator.country_code == "HU"
    with session_scope() as session:
        assert session.exec(select(AuthorityLink)).all() == []  # the browser test makes the link
        links.link_authority(session, actor=hu_lda, linked_authority_id=office.id)
    overview = _overview(edu, chamber.id)
    assert overview.total == 6 and {s.status for s in overview.by_status} == {  # its draft is not sent yet
        "sent", "accepted", "answered", "closed"}
    assert "Dr. Kiss János" not in repr(dataclasses.asdict(overview))

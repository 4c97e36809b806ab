"""Coordinator settings per area, data administrator assignments and oversight(), on a real database."""

from __future__ import annotations

import dataclasses

import pytest
from sqlmodel import func, select

from imi_app.core.db import session_scope
from imi_app.core.audit import AuditEntry
from imi_app.authorities.models import AuthorityArea, CoordinatorSetting, ReferralMode
from imi_app.accounts.models import Role, RoleAssignment, User
from imi_app.authorities.coordinator_settings import (
    Oversight, ReferralArbiter, coordinator_staff, get_settings, grant_data_admin, oversight, revoke_data_admin,
    update_setting,
)
from imi_app.core.errors import Conflict, Denied, ValidationFailed
from tests.support import factories as f

DA, REFEREE = Role.DATA_ADMINISTRATOR, Role.APPROVER_REFEREE


@pytest.fixture
def world(database):
    """HU: national coordinator (both areas) -> regional coordinator (pq only) -> authority A; B under the
    national one. DE: a coordinator with one authority."""
    pq, svc, other = f.area("professional_qualifications"), f.area("services"), f.area("other_area")
    national = f.authority("HU", areas=[pq, svc], is_coordinator=True, name="HU national coordinator")
    regional = f.authority("HU", areas=[pq], is_coordinator=True, coordinator=national, name="HU regional")
    a = f.authority("HU", areas=[pq, svc], coordinator=regional, name="Authority A")
    b = f.authority("HU", areas=[pq, svc], coordinator=national, name="Authority B")
    de_coordinator = f.authority("DE", areas=[pq, svc], is_coordinator=True)
    return {
        "pq": pq, "svc": svc, "other": other, "national": national, "regional": regional, "a": a, "b": b,
        "de_coordinator": de_coordinator,
        "da": f.user(national, is_lda=True, roles={pq.id: [DA], svc.id: [DA]}),
        "da_svc": f.user(national, roles={svc.id: [DA]}),
        "staff": f.user(national),
        "disabled": f.user(national, active=False),
        "regional_da": f.user(regional, roles={pq.id: [DA]}),
        "regional_staff": f.user(regional),
        "de_da": f.user(de_coordinator, is_lda=True, roles={pq.id: [DA], svc.id: [DA]}),
        "lda": f.user(a, is_lda=True),
        "handler": f.user(a, roles={pq.id: [Role.REQUEST_HANDLER]}),
    }


def _update(actor: User, area_id, mode=ReferralMode.SELF, referee=None, requests=False, answers=False):
    return update_setting(actor=actor, area_id=area_id, referral_mode=mode, referee_user_id=referee,
                          approve_requests=requests, approve_answers=answers)


def _settings(actor: User, coordinator_id: int):
    with session_scope() as session:
        return {s.area_code: s for s in get_settings(session, actor=actor, coordinator_id=coordinator_id)}


def _oversight(authority_id: int, area_id: int) -> Oversight:
    with session_scope() as session:
        return oversight(session, authority_id=authority_id, area_id=area_id)


def _roles(user_id: int, role: str) -> set[int]:
    with session_scope() as session:
        return set(session.exec(select(RoleAssignment.area_id).where(
            RoleAssignment.user_id == user_id, RoleAssignment.role == role)).all())


def _stored() -> list[tuple]:
    with session_scope() as session:
        return [(s.coordinator_id, s.area_id, s.referral_mode, s.referee_user_id, s.approve_requests,
                 s.approve_answers) for s in session.exec(select(CoordinatorSetting)).all()]


def _audit(action: str) -> list[AuditEntry]:
    with session_scope() as session:
        return list(session.exec(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)).all())


def _denied() -> int:
    with session_scope() as session:
        return session.exec(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "access.denied")).one()


# --- settings -----------------------------------------------------------------------------------

def test_no_row_means_the_defaults_for_every_area_of_the_coordinator(world):
    settings = _settings(world["da"], world["national"].id)
    assert set(settings) == {"professional_qualifications", "services"}  # not other_area
    for item in settings.values():
        assert (item.referral_mode, item.referee_user_id, item.approve_requests, item.approve_answers) == (
            ReferralMode.SELF, None, False, False)
        assert item.can_edit
    assert [m.id for m in settings["services"].data_administrators] == sorted(
        [world["da"].id, world["da_svc"].id], key=lambda i: f.reload(User, i).full_name)
    assert _stored() == []


def test_a_data_administrator_of_one_area_edits_only_that_area(world):
    settings = _settings(world["da_svc"], world["national"].id)
    assert not settings["professional_qualifications"].can_edit and settings["services"].can_edit
    _update(world["da_svc"], world["svc"].id, requests=True)
    before = _denied()
    with pytest.raises(Denied):
        _update(world["da_svc"], world["pq"].id, requests=True)
    assert _denied() == before + 1
    assert _stored() == [(world["national"].id, world["svc"].id, "self", None, True, False)]


def test_update_saves_and_audits_before_and_after(world):
    _update(world["da"], world["pq"].id, mode=ReferralMode.NONE, requests=True, answers=True)
    settings = _settings(world["da"], world["national"].id)
    pq = settings["professional_qualifications"]
    assert (pq.referral_mode, pq.approve_requests, pq.approve_answers) == (ReferralMode.NONE, True, True)
    assert settings["services"].approve_requests is False
    _update(world["da"], world["pq"].id, mode=ReferralMode.SELF, requests=False, answers=True)
    entries = _audit("coordinator_setting.update")
    assert len(entries) == 2
    assert entries[0].before == {"referral_mode": "self", "referee_user_id": None, "approve_requests": False,
                                 "approve_answers": False}
    assert entries[0].after["referral_mode"] == "none" and entries[0].after["approve_requests"] is True
    assert entries[1].before["referral_mode"] == "none" and entries[1].after["approve_requests"] is False
    assert entries[1].object_id == f"{world['national'].id}:{world['pq'].id}"


@pytest.mark.parametrize("changes, field", [
    ({"mode": "always"}, "referral_mode"),
    ({"mode": None}, "referral_mode"),
    ({"mode": ["self"]}, "referral_mode"),
    ({"mode": ReferralMode.REFEREE}, "referee_user_id"),
    ({"mode": ReferralMode.REFEREE, "referee": ""}, "referee_user_id"),
    ({"mode": ReferralMode.REFEREE, "referee": "abc"}, "referee_user_id"),
    ({"mode": ReferralMode.REFEREE, "referee": 10**9}, "referee_user_id"),
    ({"mode": ReferralMode.REFEREE, "referee": 10**12}, "referee_user_id"),
    ({"requests": "on"}, "approve_requests"),
    ({"requests": 1}, "approve_requests"),
    ({"answers": None}, "approve_answers"),
])
def test_bad_values_are_refused_beside_the_field_and_change_nothing(world, changes, field):
    with pytest.raises(ValidationFailed) as error:
        _update(world["da"], world["pq"].id, **changes)
    assert field in error.value.errors
    assert _stored() == [] and _audit("coordinator_setting.update") == []


@pytest.mark.parametrize("who", ["disabled", "regional_staff", "lda", "de_da"])
def test_the_referee_must_be_an_active_user_of_the_coordinator(world, who):
    with pytest.raises(ValidationFailed) as error:
        _update(world["da"], world["pq"].id, mode=ReferralMode.REFEREE, referee=world[who].id)
    assert "referee_user_id" in error.value.errors
    assert _roles(world[who].id, REFEREE) == set()


def test_the_approver_referee_role_follows_the_setting(world):
    pq, staff, da = world["pq"].id, world["staff"], world["da"]
    _update(da, pq, mode=ReferralMode.REFEREE, referee=staff.id)
    assert _roles(staff.id, REFEREE) == {pq}
    assert _settings(da, world["national"].id)["professional_qualifications"].referee_user_id == staff.id
    _update(da, pq, mode=ReferralMode.REFEREE, referee=staff.id, requests=True)  # same referee: role stays
    assert _roles(staff.id, REFEREE) == {pq}
    _update(da, pq, mode=ReferralMode.REFEREE, referee=da.id)  # another referee: the role moves
    assert _roles(staff.id, REFEREE) == set() and _roles(da.id, REFEREE) == {pq}
    _update(da, world["svc"].id, mode=ReferralMode.REFEREE, referee=staff.id)
    _update(da, pq, mode=ReferralMode.NONE, referee=staff.id)  # a referee sent with another mode is ignored
    assert _roles(da.id, REFEREE) == set() and _roles(staff.id, REFEREE) == {world["svc"].id}
    assert _settings(da, world["national"].id)["professional_qualifications"].referee_user_id is None
    grants = [(e.object_id, e.after) for e in _audit("approver_referee.grant")]
    revokes = [(e.object_id, e.before) for e in _audit("approver_referee.revoke")]
    assert len(grants) == 3 and len(revokes) == 2


@pytest.mark.parametrize("who", ["lda", "handler", "staff", "regional_staff"])
def test_users_without_the_data_administrator_role_neither_see_nor_change(world, who):
    with pytest.raises(Denied):
        _settings(world[who], world["national"].id)
    with pytest.raises(Denied):
        _update(world[who], world["pq"].id, requests=True)
    assert _stored() == []


def test_no_one_reaches_another_coordinator_or_an_area_it_does_not_work_in(world):
    with pytest.raises(Denied):
        _settings(world["de_da"], world["national"].id)
    with pytest.raises(Denied):
        _settings(world["regional_da"], world["national"].id)
    with pytest.raises(Denied):
        _update(world["da"], world["other"].id, requests=True)
    for bad in ("1", None, True, 1.0, [world["pq"].id], 10**12, -1, 0):
        with pytest.raises(Denied):
            _update(world["da"], bad, requests=True)
        with pytest.raises(Denied):
            _settings(world["da"], bad)
    assert _stored() == []


def test_staff_lists_only_active_users_of_the_coordinator(world):
    with session_scope() as session:
        staff = coordinator_staff(session, actor=world["da"], coordinator_id=world["national"].id)
    assert {m.id for m in staff} == {world[k].id for k in ("da", "da_svc", "staff")}
    with session_scope() as session, pytest.raises(Denied):
        coordinator_staff(session, actor=world["lda"], coordinator_id=world["national"].id)


# --- data administrators ------------------------------------------------------------------------

def _grant(actor, area_id, user_id):
    grant_data_admin(actor=actor, area_id=area_id, user_id=user_id)


def _revoke(actor, area_id, user_id):
    revoke_data_admin(actor=actor, area_id=area_id, user_id=user_id)


def test_a_data_administrator_gives_and_takes_the_role_per_area(world):
    pq, staff = world["pq"].id, world["staff"]
    _grant(world["da"], pq, staff.id)
    assert _roles(staff.id, DA) == {pq}
    assert [m.id for m in _settings(staff, world["national"].id)["professional_qualifications"]
            .data_administrators if m.id == staff.id] == [staff.id]
    with pytest.raises(Conflict):
        _grant(world["da"], pq, staff.id)
    _revoke(staff, pq, world["da"].id)  # the new one may remove the old one: one is left
    assert _roles(world["da"].id, DA) == {world["svc"].id}
    entries = _audit("data_administrator.grant") + _audit("data_administrator.revoke")
    assert [(e.action, e.object_id) for e in entries] == [
        ("data_administrator.grant", str(staff.id)), ("data_administrator.revoke", str(world["da"].id))]
    assert entries[0].after == {"area_id": pq, "data_administrator": True}


def test_the_last_data_administrator_of_an_area_keeps_the_role(world):
    pq = world["pq"].id
    with pytest.raises(Conflict) as error:
        _revoke(world["da"], pq, world["da"].id)
    assert "at least one data administrator" in error.value.message
    assert _roles(world["da"].id, DA) == {pq, world["svc"].id}
    # A disabled holder does not count as the one that is left.
    with session_scope() as session:
        session.add(RoleAssignment(user_id=world["disabled"].id, area_id=pq, role=DA))
    with pytest.raises(Conflict):
        _revoke(world["da"], pq, world["da"].id)
    _revoke(world["da"], pq, world["disabled"].id)  # removing the disabled one is fine
    assert _roles(world["disabled"].id, DA) == set()


@pytest.mark.parametrize("target", ["disabled", "regional_staff", "lda", "de_da"])
def test_the_role_goes_only_to_active_users_of_the_coordinator(world, target):
    before, roles = _denied(), _roles(world[target].id, DA)
    with pytest.raises(Denied):
        _grant(world["da"], world["pq"].id, world[target].id)
    assert _denied() == before + 1
    assert _roles(world[target].id, DA) == roles


def test_only_a_data_administrator_of_the_area_assigns_it(world):
    pq = world["pq"].id
    for actor in ("da_svc", "staff", "lda", "handler", "regional_da", "de_da"):
        with pytest.raises(Denied):
            _grant(world[actor], pq, world["staff"].id)
        with pytest.raises(Denied):
            _revoke(world[actor], pq, world["da"].id)
    for bad in ("3", None, True, 2.5, 10**12):
        with pytest.raises(Denied):
            _grant(world["da"], pq, bad)
        with pytest.raises(Denied):
            _revoke(world["da"], bad, world["da"].id)
    with pytest.raises(Denied):
        _revoke(world["da"], pq, world["staff"].id)  # not a data administrator: nothing to take
    assert _roles(world["staff"].id, DA) == set() and _roles(world["da"].id, DA) == {pq, world["svc"].id}


# --- oversight ----------------------------------------------------------------------------------

def test_oversight_defaults_nearest_coordinator_arbitrates_itself(world):
    result = _oversight(world["a"].id, world["pq"].id)
    assert result == Oversight((), (), ReferralArbiter(world["regional"].id, ReferralMode.SELF, None))
    assert _oversight(world["b"].id, world["pq"].id).referral_arbiter.coordinator_id == world["national"].id
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.request_approvers = (1,)  # type: ignore[misc]


def test_oversight_approval_on_at_national_level_only(world):
    _update(world["da"], world["pq"].id, requests=True)
    result = _oversight(world["a"].id, world["pq"].id)
    assert result.request_approvers == (world["national"].id,) and result.answer_approvers == ()
    assert result.referral_arbiter == ReferralArbiter(world["regional"].id, ReferralMode.SELF, None)
    assert _oversight(world["a"].id, world["svc"].id).request_approvers == ()  # another area
    assert _oversight(world["b"].id, world["pq"].id).request_approvers == (world["national"].id,)


def test_oversight_lists_approvers_nearest_first(world):
    _update(world["da"], world["pq"].id, requests=True, answers=True)
    _update(world["regional_da"], world["pq"].id, requests=True)
    result = _oversight(world["a"].id, world["pq"].id)
    assert result.request_approvers == (world["regional"].id, world["national"].id)
    assert result.answer_approvers == (world["national"].id,)


def test_oversight_referral_through_a_referee_and_opting_out(world):
    pq = world["pq"].id
    _update(world["regional_da"], pq, mode=ReferralMode.REFEREE, referee=world["regional_staff"].id)
    assert _oversight(world["a"].id, pq).referral_arbiter == ReferralArbiter(
        world["regional"].id, ReferralMode.REFEREE, world["regional_staff"].id)
    with session_scope() as session:  # the referee leaves: the data administrators take over
        session.get(User, world["regional_staff"].id).is_active = False
    assert _oversight(world["a"].id, pq).referral_arbiter == ReferralArbiter(
        world["regional"].id, ReferralMode.SELF, None)
    _update(world["regional_da"], pq, mode=ReferralMode.NONE)
    # The nearest coordinator opted out: nobody arbitrates on this side, the national one is not asked.
    assert _oversight(world["a"].id, pq).referral_arbiter is None
    _update(world["da"], pq, mode=ReferralMode.NONE)
    assert _oversight(world["b"].id, pq).referral_arbiter is None


def test_oversight_passes_over_a_coordinator_that_does_not_work_in_the_area(world):
    svc = world["svc"].id
    _update(world["da"], svc, mode=ReferralMode.REFEREE, referee=world["staff"].id, answers=True)
    result = _oversight(world["a"].id, svc)  # the regional coordinator has professional qualifications only
    assert result.referral_arbiter == ReferralArbiter(world["national"].id, ReferralMode.REFEREE, world["staff"].id)
    assert result.answer_approvers == (world["national"].id,)
    assert _oversight(world["a"].id, world["other"].id) == Oversight((), (), None)


def test_oversight_ignores_settings_of_an_area_the_coordinator_left(world):
    _update(world["regional_da"], world["pq"].id, requests=True, mode=ReferralMode.NONE)
    with session_scope() as session:
        session.delete(session.get(AuthorityArea, (world["regional"].id, world["pq"].id)))
    result = _oversight(world["a"].id, world["pq"].id)
    assert result.request_approvers == ()
    assert result.referral_arbiter == ReferralArbiter(world["national"].id, ReferralMode.SELF, None)


def test_oversight_of_a_top_coordinator_and_of_unknown_authorities(world):
    assert _oversight(world["national"].id, world["pq"].id) == Oversight((), (), None)
    assert _oversight(world["regional"].id, world["pq"].id).referral_arbiter.coordinator_id == world["national"].id
    assert _oversight(10**9, world["pq"].id) == Oversight((), (), None)


def test_oversight_never_crosses_countries(world):
    _update(world["de_da"], world["pq"].id, requests=True, answers=True, mode=ReferralMode.NONE)
    result = _oversight(world["a"].id, world["pq"].id)
    assert world["de_coordinator"].id not in result.request_approvers + result.answer_approvers
    assert result.referral_arbiter.coordinator_id == world["regional"].id


# --- handlers, called straight over the event channel ----------------------------------------------

def _state(user: User, path: str = "/admin/coordinator-settings"):
    from imi_app.authorities.ui.coordinator_settings_state import CoordinatorSettingsState
    from tests.support.handlers import state_for, token_for as _token
    return state_for(CoordinatorSettingsState, cookie=f"imi_session={_token(user)}", path=path)


def _everything() -> tuple:
    with session_scope() as session:
        roles = session.exec(select(RoleAssignment.user_id, RoleAssignment.area_id, RoleAssignment.role)
                             .order_by(RoleAssignment.id)).all()
    return tuple(roles), tuple(_stored())


def test_the_settings_page_saves_and_assigns_through_its_handlers(world):
    from imi_app.authorities.ui.coordinator_settings_state import CoordinatorSettingsState as S
    from tests.support.handlers import call
    state = _state(world["da"])
    call(S.open_settings, state)
    assert state.access == "ready" and [a["code"] for a in state.areas] == ["professional_qualifications", "services"]
    pq = str(world["pq"].id)
    call(S.set_mode, state, pq, "referee")
    call(S.set_referee, state, pq, str(world["staff"].id))
    call(S.set_requests, state, pq, True)
    assert state.areas[0]["dirty"] is True
    call(S.save_area, state, pq)
    assert _stored() == [(world["national"].id, world["pq"].id, "referee", world["staff"].id, True, False)]
    assert state.areas[0]["dirty"] is False and state.areas[0]["referee"] == str(world["staff"].id)
    call(S.set_da_choice, state, pq, str(world["staff"].id))
    call(S.add_da, state, pq)
    assert _roles(world["staff"].id, DA) == {world["pq"].id}
    call(S.ask_remove_da, state, pq, str(world["staff"].id))
    assert state.remove_open and state.remove_target["user_id"] == str(world["staff"].id)
    call(S.confirm_remove_da, state)
    assert _roles(world["staff"].id, DA) == set()


def test_settings_handlers_refuse_users_without_the_role_and_change_nothing(world):
    from imi_app.authorities.ui.coordinator_settings_state import CoordinatorSettingsState as S
    from tests.support.handlers import call
    before = _everything()
    pq = str(world["pq"].id)
    for who in ("lda", "handler", "staff", "da_svc"):
        state = _state(world[who])
        call(S.open_settings, state)
        if who != "da_svc":
            assert state.access == "no_access" and state.areas == [] and state.staff == []
        for handler in (S.save_area, S.add_da, S.confirm_remove_da):
            # As if the page had been tricked into showing a card it may not change.
            state.access = "ready"
            state.areas = [{"id": pq, "code": "professional_qualifications", "name": "x", "mode": "none",
                            "referee": "", "requests": True, "answers": True, "saved": {}, "dirty": True,
                            "can_edit": True, "admins": [], "candidates": [], "da_choice": str(world[who].id)}]
            state.remove_target = {"area_id": pq, "user_id": str(world["da"].id), "name": "x", "area": "x"}
            denied = _denied()
            call(handler, state, pq) if handler is not S.confirm_remove_da else call(handler, state)
            assert _denied() > denied
    assert _everything() == before


@pytest.mark.parametrize("args", [(None, None), (5, True), (["1"], "self"), ({"a": 1}, "x" * 10_000), ("999", 3)])
def test_settings_handlers_survive_wrong_types(world, args):
    from imi_app.authorities.ui.coordinator_settings_state import CoordinatorSettingsState as S
    from tests.support.handlers import call
    before = _everything()
    state = _state(world["da"])
    call(S.open_settings, state)
    for handler in (S.set_mode, S.set_referee, S.set_requests, S.set_answers, S.set_da_choice, S.ask_remove_da):
        call(handler, state, *args)
    for handler in (S.save_area, S.add_da):
        call(handler, state, args[0])
    state.remove_target = {"area_id": "x", "user_id": "<script>"}
    call(S.confirm_remove_da, state)
    assert _everything() == before and state.access == "ready"

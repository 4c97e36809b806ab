"""Coordination handlers called straight over the event channel, without the page: each checks the session
and the permission again, survives wrong types, and changes nothing it may not (SEC-10, SEC-11)."""

from __future__ import annotations

import pytest

from imi_app.authorities.models import Authority, AuthorityStatus
from imi_app.accounts.models import User
from imi_app.authorities.ui.coordination_state import CoordinatedListState
from imi_app.authorities.ui.coordination_detail_state import CoordinatedDetailState as D
from imi_app.authorities.ui.coordination_forms_state import InviteAuthorityState, RegisterAuthorityState
from imi_app.authorities.ui.self_registration_state import SelfRegisterState
from tests.support.coordination import (  # noqa: F401 - world is a fixture
    audits as _audit, count as _count, invite as _invite, snapshot as _state, world,
)
from tests.support.handlers import call, state_for, token_for as _token


def _cookie(user: User) -> str:
    return f"imi_session={_token(user)}"


def test_handlers_of_people_without_the_right_change_nothing(world):
    form = {"official_name": "Mallory Office", "contact_email": "m@x.example", "lang:hu": "on",
            f"area:{world['pq'].id}": "on", "user_family_name": "Mallory", "user_email": "mallory@x.example",
            "user_language": "en", "email": "m@x.example", "language": "en", "reason": "No."}
    before = _state()
    for actor in ("basic", "t_r_lda", "n_lda_only", "d_da"):
        cookie = _cookie(world[actor])
        listing = state_for(CoordinatedListState, cookie=cookie, path="/admin/coordinated")
        call(CoordinatedListState.open_list, listing)
        assert [row["name"] for row in listing.rows] == (["Ärztekammer"] if actor == "d_da" else [])
        register = state_for(RegisterAuthorityState, cookie=cookie, path="/admin/coordinated/new")
        call(RegisterAuthorityState.open_new, register)
        assert register.access in ("no_access", "ready")
        register.access = "ready"  # as if the page had been tricked into showing the form
        call(RegisterAuthorityState.submit, register, dict(form, parent_id=str(world["R"].id)))
        invite = state_for(InviteAuthorityState, cookie=cookie, path="/admin/coordinated/invite")
        invite.access = "ready"
        call(InviteAuthorityState.submit, invite, dict(form, parent_id=str(world["R"].id)))
        for target in (world["T_R"], world["P_R"]):
            detail = state_for(D, cookie=cookie, path=f"/admin/coordinated/{target.id}")
            call(D.open_detail, detail)
            assert detail.access == "not_found" and detail.info == {}
            detail.status, detail.ldas = "active", [{"id": world["t_r_lda"].id, "name": "x"}]
            call(D.validate, detail)
            call(D.reject, detail, {"reason": "No."})
            call(D.save_names, detail, {"official_name": "Renamed"})
            call(D.save_area, detail, {"area_id": str(world["other"].id), "keywords": "x"})
            call(D.revoke, detail, str(world["svc"].id))
            call(D.ask_new_password, detail, world["t_r_lda"].id)
            call(D.confirm_new_password, detail)
    assert _state() == before
    assert len(_audit("access.denied")) >= 20


@pytest.mark.parametrize("payload", [None, 5, "text", ["a"], {"official_name": {"x": 1}, "lang:hu": ["on"]},
                                     {"official_name": "x" * 100_000, "area:abc": "on", "parent_id": "../1"},
                                     {"official_name": "Kamara\u202eBerlin", "is_coordinator": "maybe"}])
def test_coordination_handlers_survive_wrong_types(world, payload):
    cookie = _cookie(world["r_da"])
    before = _state()
    register = state_for(RegisterAuthorityState, cookie=cookie, path="/admin/coordinated/new")
    call(RegisterAuthorityState.open_new, register)
    assert register.access == "ready"
    call(RegisterAuthorityState.submit, register, payload)
    call(RegisterAuthorityState.set_name_language, register, payload, payload)
    call(RegisterAuthorityState.set_name_text, register, "1", payload)
    invite = state_for(InviteAuthorityState, cookie=cookie, path="/admin/coordinated/invite")
    call(InviteAuthorityState.open_invite, invite)
    call(InviteAuthorityState.submit, invite, payload)
    listing = state_for(CoordinatedListState, cookie=cookie, path="/admin/coordinated")
    call(CoordinatedListState.open_list, listing)
    for handler in (CoordinatedListState.set_search, CoordinatedListState.set_status, CoordinatedListState.set_area):
        call(handler, listing, payload)
    assert listing.access == "ready"
    detail = state_for(D, cookie=cookie, path=f"/admin/coordinated/{world['P_R'].id}")
    call(D.open_detail, detail)
    assert detail.access == "ready" and detail.status == "pending"
    for handler in (D.save_names, D.save_area, D.reject):
        call(handler, detail, payload)
    for handler in (D.revoke, D.ask_new_password, D.set_reject_open, D.set_confirm_open):
        call(handler, detail, payload)
    public = state_for(SelfRegisterState, cookie="", path="/register?token=abc")
    call(SelfRegisterState.open_register, public)
    assert public.link == "invalid" and "not valid" in public.problem
    public.link = "form"  # as if the page had been tricked into showing the form
    call(SelfRegisterState.submit, public, payload)
    assert public.link == "invalid"
    assert _state() == before


def test_self_registration_page_reads_the_token_from_the_url(world):
    token = _invite(world["r_da"])
    page = state_for(SelfRegisterState, cookie="", path=f"/register?token={token}")
    call(SelfRegisterState.open_register, page)
    assert page.link == "form" and page.coordinator == "Regionális koordinátor"
    form = {"official_name": "Szegedi Kamara", "contact_email": "k@szeged.example", "lang:hu": "on", "address": "Szeged",
            f"area:{world['pq'].id}": "on", f"keywords:{world['pq'].id}": "orvos", "user_family_name": "Nagy",
            "user_given_name": "Éva",
            "user_email": "eva@szeged.example", "user_language": "en"}
    call(SelfRegisterState.submit, page, form)
    assert page.errors == {} and page.link == "done" and page.registered == "Szegedi Kamara"
    assert _count(Authority, Authority.status == AuthorityStatus.PENDING) == 4
    again = state_for(SelfRegisterState, cookie="", path=f"/register?token={token}")
    call(SelfRegisterState.open_register, again)
    assert again.link == "used"

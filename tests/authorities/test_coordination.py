"""Coordination services on a real database: register, invite, self-register, validate, reject, names, areas."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from sqlmodel import Session, func, select

from imi_app.core.db import get_engine, session_scope
from imi_app.core.audit import AuditEntry
from imi_app.mail.models import OutboxMail
from imi_app.authorities.models import Authority, AuthorityArea, AuthorityName, AuthorityStatus, Invitation
from imi_app.requests.models import InfoRequest, RequestStatus
from imi_app.accounts.models import Role, RoleAssignment, User
from imi_app.core.time import as_utc, utcnow
from imi_app.accounts import auth
from imi_app.authorities.coordination import (
    AuthorityInput, grant_area, register_authority, reject_authority, rename_authority, revoke_area,
    validate_authority,
)
from imi_app.authorities.coordination_views import (
    coordinated_detail, coordinator_choices, list_coordinated, pending_queue,
)
from imi_app.core.errors import Conflict, Denied, ValidationFailed
from imi_app.authorities.invitations import (
    EXPIRED, INVALID, USED, InvitationProblem, invite_authority, open_invitation, self_register,
)
from imi_app.accounts.users import create_new_password
from tests.support import factories as f
from tests.support.coordination import (  # noqa: F401 - world is a fixture
    LINK, audits as _audit, count as _count, invite as _invite, mails as _mails, register as _register,
    set_status as _set_status,
    snapshot as _state, world,
)

DA = Role.DATA_ADMINISTRATOR
TEMP_PASSWORD = re.compile(r"\b([A-HJ-NP-Za-km-z2-9]{20})\b")


def _input(world, **changes) -> AuthorityInput:
    values = {"official_name": "Pécsi Gyógyszerészi Kamara", "contact_email": "kamara@pecs.example",
              "address": "Pécs, Fő utca 1.", "phone": "+36 72 555 010", "languages": ["hu", "en"],
              "areas": {world["pq"].id: "gyógyszerész, oklevél"}, "other_names": {"en": "Pharmacists of Pécs"},
              "user_family_name": "Kiss", "user_given_name": "Ágnes", "user_email": f"agnes{len(changes)}@pecs.example",
              "user_language": "en"}
    values.update(changes)
    return AuthorityInput(**values)


def _self_register(token, data) -> Authority:
    return self_register(token=token, data=data)


# --- registering directly ------------------------------------------------------------------------

def test_register_creates_an_active_authority_and_its_lda(world):
    authority, user = _register(world["n_da"], _input(world))
    stored = f.reload(Authority, authority.id)
    assert stored.status == AuthorityStatus.ACTIVE and stored.country_code == "HU"
    assert stored.parent_coordinator_id == world["N"].id and stored.validated_by_user_id == world["n_da"].id
    assert stored.name_key == "pecsi gyogyszereszi kamara" and stored.languages == "en,hu"
    with session_scope() as session:
        [area] = session.exec(select(AuthorityArea).where(AuthorityArea.authority_id == authority.id)).all()
        [name] = session.exec(select(AuthorityName).where(AuthorityName.authority_id == authority.id)).all()
    assert (area.area_id, area.keywords, area.keywords_key) == (world["pq"].id, "gyógyszerész, oklevél",
                                                                 "gyogyszeresz, oklevel")
    assert (name.language, name.name) == ("en", "Pharmacists of Pécs")
    lda = f.reload(User, user.id)
    assert lda.is_lda and lda.password_is_temporary and lda.username.startswith("hu.")
    [mail] = _mails("temporary_password")
    assert mail.recipient == lda.email and lda.username not in mail.body_text
    assert auth.check_password(lda.username, TEMP_PASSWORD.search(mail.body_text).group(1)).ticket
    [entry] = _audit("authority.register")
    assert entry.actor_user_id == world["n_da"].id and entry.after["official_name"] == "Pécsi Gyógyszerészi Kamara"


def test_a_new_coordinators_first_user_is_data_administrator_in_each_of_its_areas(world):
    areas = {world["pq"].id: "", world["svc"].id: "regional"}
    authority, user = _register(world["n_da"], _input(world, is_coordinator=True, areas=areas))
    with session_scope() as session:
        roles = session.exec(select(RoleAssignment.area_id, RoleAssignment.role).where(
            RoleAssignment.user_id == user.id)).all()
    assert sorted(roles) == sorted((area_id, DA) for area_id in areas)
    assert f.reload(Authority, authority.id).is_coordinator


def test_register_under_a_sub_coordinator(world):
    authority, _ = _register(world["n_da"], _input(world, parent_id=world["R"].id))
    assert f.reload(Authority, authority.id).parent_coordinator_id == world["R"].id
    with session_scope() as session:
        assert [c[0] for c in coordinator_choices(session, actor=world["n_da"], action="coordination.register")] == [
            world["N"].id, world["R"].id]
        assert [c[0] for c in coordinator_choices(session, actor=world["r_da"], action="coordination.register")] == [
            world["R"].id]
    before = _state()
    for parent in (world["N"].id, world["T_R"].id, world["X"].id, "1", 2**70):
        with pytest.raises(Denied):
            _register(world["r_da"], _input(world, parent_id=parent))
    assert _state() == before


@pytest.mark.parametrize("field, value", [
    ("country", "DE"), ("country", ["HU"]), ("areas", {}), ("areas", {"1": "x"}), ("areas", []),
    ("official_name", ""), ("official_name", "x" * 301), ("official_name", "Kamara\u202eBerlin"),
    ("official_name", "Kamara\x00"), ("official_name", None), ("contact_email", "not-an-address"),
    ("address", "x" * 10_000_000), ("languages", []), ("languages", ["xx"]), ("languages", "hu"),
    ("other_names", {"xx": "Name"}), ("other_names", {"en": ""}), ("other_names", ["en"]),
    ("user_family_name", ""), ("user_given_name", "x" * 101), ("user_email", "' OR 1=1--"), ("user_language", "xx"),
    ("user_language", ["en"]),
    ("is_coordinator", "yes"), ("phone", "call me"),
])
def test_register_refuses_bad_input_beside_the_field(world, field, value):
    before = _state()
    with pytest.raises(ValidationFailed) as raised:
        _register(world["n_da"], _input(world, **{field: value}))
    assert field in raised.value.errors
    assert _state() == before


def test_register_refuses_areas_the_coordinator_or_the_actor_does_not_work_in(world):
    lonely = f.area("lonely_area")
    before = _state()
    with pytest.raises(ValidationFailed) as raised:
        _register(world["n_da"], _input(world, areas={lonely.id: ""}))
    assert raised.value.errors["areas"] == "The coordinator does not work in this legislative area."
    with pytest.raises(ValidationFailed):  # a data administrator of one area grants only that area
        _register(world["n_pq_da"], _input(world, areas={world["svc"].id: ""}))
    with pytest.raises(ValidationFailed) as raised:
        _register(world["n_da"], _input(world, user_email=world["t_r_lda"].email.upper()))
    assert raised.value.errors["user_email"] == "This e-mail address is already used by another user."
    assert _state() == before


# --- the list ------------------------------------------------------------------------------------

def _names(actor, **filters) -> list[str]:
    with session_scope() as session:
        rows, total = list_coordinated(session, actor=actor, **filters)
    assert total == len(rows) or total > len(rows)
    return [row.name for row in rows]


def test_a_data_administrator_lists_only_the_authorities_it_coordinates(world):
    below_n = {"Regionális koordinátor", "Győri Orvosi Kamara", "Sibling Authority", "Országos Hivatal",
               "Pending under R", "Pending under N", "Pending coordinator"}
    assert set(_names(world["n_da"])) == below_n
    assert set(_names(world["r_da"])) == {"Győri Orvosi Kamara", "Sibling Authority", "Pending under R"}
    assert _names(world["d_da"]) == ["Ärztekammer"]
    assert _names(world["n_da"], search="GYORI orvosi") == ["Győri Orvosi Kamara"]
    assert _names(world["n_da"], search="%") == [] and _names(world["n_da"], search="_") == []
    assert set(_names(world["n_da"], status="pending")) == {"Pending under R", "Pending under N", "Pending coordinator"}
    assert set(_names(world["n_da"], area_id=world["svc"].id)) == {"Regionális koordinátor", "Győri Orvosi Kamara",
                                                                   "Országos Hivatal", "Pending coordinator"}
    rename_authority(actor=world["n_da"], authority_id=world["T_N"].id, official_name="Országos Hivatal",
                     other_names={"de": "Landesamt Ungarn"})
    assert _names(world["n_da"], search="landesamt") == ["Országos Hivatal"]
    with session_scope() as session:
        rows, total = list_coordinated(session, actor=world["n_da"], page=2, page_size=3)
        queue, waiting = pending_queue(session, actor=world["r_da"])
    assert total == 7 and len(rows) == 3
    assert waiting == 1 and [row.name for row in queue] == ["Pending under R"]
    for actor in ("t_r_lda", "handler", "basic", "x_da", "n_lda_only"):
        with session_scope() as session, pytest.raises(Denied):
            list_coordinated(session, actor=world[actor])


def test_the_detail_shows_areas_ldas_and_what_the_viewer_may_change(world):
    detail = coordinated_detail(actor=world["n_pq_da"], authority_id=world["T_R"].id)
    assert detail.coordinator == "Regionális koordinátor"
    assert [(a.area.code, a.granted, a.can_change) for a in detail.areas] == [
        ("professional_qualifications", True, True), ("services", True, False)]
    assert [lda.id for lda in detail.ldas] == [world["t_r_lda"].id]
    for actor, target in (("r_da", world["T_N"].id), ("d_da", world["T_R"].id), ("r_da", "1"), ("r_da", 10**20)):
        with pytest.raises(Denied):
            coordinated_detail(actor=world[actor], authority_id=target)


# --- invitations ---------------------------------------------------------------------------------

def test_invitation_mail_link_and_self_registration(world):
    token = _invite(world["r_da"])
    [invitation] = _count_rows(Invitation)
    assert invitation.coordinator_id == world["R"].id and invitation.used_at is None
    assert as_utc(invitation.expires_at) - utcnow() > timedelta(days=6, hours=23)
    assert token not in json.dumps([e.after for e in _audit("authority.invite")])
    assert invitation.nonce_hash not in token
    info = open_invitation(token=token)
    assert (info.coordinator, info.country_code, info.email) == ("Regionális koordinátor", "HU",
                                                                 "invited@szeged.example")
    assert [a.code for a in info.areas] == ["other_area", "professional_qualifications", "services"]

    authority = _self_register(token, _input(world, is_coordinator=True, parent_id=world["N"].id))
    stored = f.reload(Authority, authority.id)
    assert stored.status == AuthorityStatus.PENDING and not stored.is_coordinator
    assert stored.parent_coordinator_id == world["R"].id and stored.validated_at is None
    with session_scope() as session:
        [lda] = session.exec(select(User).where(User.authority_id == authority.id)).all()
        used = session.get(Invitation, invitation.id)
    assert lda.is_lda and lda.password_hash == "" and used.used_at is not None and used.authority_id == authority.id
    assert _mails("temporary_password") == []  # no password before validation
    [waiting] = _mails("authority_awaiting_validation")
    assert waiting.recipient == world["R"].contact_email
    [entry] = _audit("authority.self_register")
    assert entry.actor_user_id is None and entry.after["invitation_id"] == invitation.id

    before = _state()
    with pytest.raises(InvitationProblem) as raised:
        _self_register(token, _input(world, user_email="second@x.example"))
    assert raised.value.reason == USED and "already been used" in raised.value.message
    assert raised.value.language == "en"  # the invitation's, for the refusal page
    with pytest.raises(InvitationProblem):
        open_invitation(token=token)
    assert _state() == before


def _count_rows(model) -> list:
    with session_scope() as session:
        return list(session.exec(select(model)).all())


def _tampered(token: str) -> list[str]:
    body, signature = token.rsplit(".", 1)
    flip = "A" if signature[0] != "A" else "B"
    return [body + "." + flip + signature[1:], token[:-3], token + "x", "", "a.b.c", "x" * 5000]


def test_expired_tampered_and_forged_links_change_nothing(world, monkeypatch):
    token = _invite(world["n_da"], language="hu")
    before = _state()
    for bad in _tampered(token) + [None, 42, ["list"]]:
        with pytest.raises(InvitationProblem) as raised:
            _self_register(bad, _input(world))
        assert raised.value.reason == INVALID and raised.value.language is None, bad
    from itsdangerous import URLSafeTimedSerializer
    forged = URLSafeTimedSerializer("not the key", salt="authority-invitation").dumps({"id": 1, "nonce": "x"})
    with pytest.raises(InvitationProblem) as raised:
        _self_register(forged, _input(world))
    assert raised.value.reason == INVALID
    from imi_app.authorities import invitations
    wrong_nonce = invitations._serializer().dumps({"id": 1, "nonce": "guessed"})
    with pytest.raises(InvitationProblem) as raised:
        open_invitation(token=wrong_nonce)
    assert raised.value.reason == INVALID
    # The signature's own clock: eight days later the link has expired, whatever the row says.
    import itsdangerous.timed
    real = itsdangerous.timed.time.time
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: real() + 8 * 24 * 3600)
    with pytest.raises(InvitationProblem) as raised:
        _self_register(token, _input(world))
    assert raised.value.reason == EXPIRED and "expired" in raised.value.message
    assert raised.value.language == "hu"  # an old link, but ours: its invitation's language
    monkeypatch.undo()
    # The row's expiry: the link is refused once the invitation's time is over.
    with session_scope() as session:
        row = session.exec(select(Invitation)).one()
        row.expires_at = utcnow() - timedelta(minutes=1)
    with pytest.raises(InvitationProblem) as raised:
        _self_register(token, _input(world))
    assert raised.value.reason == EXPIRED and raised.value.language == "hu"
    assert _state() == before
    assert _audit("authority.self_register") == []


def test_self_registration_validates_like_registration(world):
    token = _invite(world["n_da"])
    before = _state()
    for changes in ({"areas": {f.area("lonely").id: ""}}, {"country": "AT"}, {"official_name": ""},
                    {"user_email": world["basic"].email}):
        with pytest.raises(ValidationFailed):
            _self_register(token, _input(world, **changes))
    assert _state() == before
    assert open_invitation(token=token).email == "invited@szeged.example"  # still usable


def test_invite_refuses_bad_input_and_other_coordinators(world):
    before = _state()
    for email, language in (("nope", "en"), ("a@b.example", "xx"), (["a@b.example"], "en")):
        with pytest.raises(ValidationFailed):
            invite_authority(actor=world["n_da"], email=email, language=language)
    for actor, coordinator in (("r_da", world["N"].id), ("d_da", world["N"].id), ("n_da", world["D"].id),
                               ("n_da", world["T_R"].id), ("t_r_lda", None), ("n_da", "2")):
        with pytest.raises(Denied):
            invite_authority(actor=world[actor], email="a@b.example", language="en",
                             coordinator_id=coordinator)
    assert _state() == before and len(_audit("access.denied")) == 6


# --- validation and rejection --------------------------------------------------------------------

def _pending_from_invitation(world) -> Authority:
    return _self_register(_invite(world["r_da"]), _input(world, user_email="first@new.example"))


def test_validate_gives_the_first_user_a_temporary_password(world):
    authority = _pending_from_invitation(world)
    validated, users = validate_authority(actor=world["r_da"], authority_id=authority.id)
    stored = f.reload(Authority, authority.id)
    assert stored.status == AuthorityStatus.ACTIVE and stored.validated_by_user_id == world["r_da"].id
    [user] = users
    [mail] = _mails("temporary_password")
    assert mail.recipient == "first@new.example" and user.username not in mail.body_text
    step = auth.check_password(user.username, TEMP_PASSWORD.search(mail.body_text).group(1))
    assert step.ticket  # the new LDA can now go to the set-up page
    [entry] = _audit("authority.validate")
    assert entry.before == {"status": "pending"} and entry.after["status"] == "active"
    with pytest.raises(Conflict):
        validate_authority(actor=world["r_da"], authority_id=authority.id)
    with pytest.raises(Conflict):
        reject_authority(actor=world["r_da"], authority_id=authority.id, reason="late")


def test_users_of_a_pending_authority_cannot_sign_in_even_with_a_password(world):
    pending_user = f.user(world["P_R"], is_lda=True)
    step = auth.check_password(pending_user.username, f.PASSWORD)
    result = auth.finish_login(step, f.chars_for(f.CODE, step.positions))
    assert result.status != auth.OK


def test_reject_needs_a_reason_and_mails_it(world):
    authority = _pending_from_invitation(world)
    before = _state()
    for reason in ("", "   ", "x" * 1001, None, "no\u202e"):
        with pytest.raises(ValidationFailed) as raised:
            reject_authority(actor=world["r_da"], authority_id=authority.id, reason=reason)
        assert "reason" in raised.value.errors
    assert _state() == before
    reason = "Not a competent authority under the Services Directive.\nPlease ask the ministry."
    reject_authority(actor=world["r_da"], authority_id=authority.id, reason="x" * 990 + reason[:10])
    stored = f.reload(Authority, authority.id)
    assert stored.status == AuthorityStatus.REJECTED and stored.rejection_reason.endswith(reason[:10])
    [mail] = _mails("authority_rejected")
    assert mail.recipient == "kamara@pecs.example" and reason[:10] in mail.body_text
    assert _count(User, User.authority_id == authority.id) == 0  # the same person may register again
    [entry] = _audit("authority.reject")
    assert entry.after["status"] == "rejected"


# --- names and areas -----------------------------------------------------------------------------

def test_rename_changes_names_in_every_language_with_audit(world):
    target = world["T_R"].id
    rename_authority(actor=world["r_da"], authority_id=target, official_name="Győr-Moson-Sopron Kamara",
                     other_names={"en": "Chamber of Győr", "de": "Kammer Raab"})
    rename_authority(actor=world["r_da"], authority_id=target, official_name="Győr-Moson-Sopron Kamara",
                     other_names={"en": "Chamber of Gyor"})
    with session_scope() as session:
        names = {n.language: n.name for n in session.exec(select(AuthorityName).where(
            AuthorityName.authority_id == target)).all()}
    assert names == {"en": "Chamber of Gyor"}
    first, second = _audit("authority.rename")
    assert first.before == {"official_name": "Győri Orvosi Kamara", "names": {}}
    assert second.after == {"official_name": "Győr-Moson-Sopron Kamara", "names": {"en": "Chamber of Gyor"}}
    before = _state()
    for name, others in (("", {}), ("ok", {"xx": "a"}), ("ok", "en"), ({"a": 1}, {})):
        with pytest.raises(ValidationFailed):
            rename_authority(actor=world["r_da"], authority_id=target, official_name=name, other_names=others)
    assert _state() == before


def _open_request(world, status=RequestStatus.SENT, area="svc", requester=None, responder=None) -> None:
    with session_scope() as session:
        number = session.exec(select(func.count()).select_from(InfoRequest)).one()
        session.add(InfoRequest(case_id=f"HU-TEST-{number}", area_id=world[area].id,
                                requesting_authority_id=(requester or world["d_child"]).id,
                                responding_authority_id=(responder or world["T_R"]).id, status=status,
                                subject="Diploma check"))


def test_grant_and_revoke_areas_with_keywords(world):
    target, other, svc = world["T_R"].id, world["other"].id, world["svc"].id
    grant_area(actor=world["r_da"], authority_id=target, area_id=other, keywords="Építész, tervező")
    grant_area(actor=world["r_da"], authority_id=target, area_id=other, keywords="építész")
    assert f.reload(AuthorityArea, (target, other)).keywords == "építész"
    [granted] = _audit("authority.area_grant")
    [changed] = _audit("authority.area_keywords")
    assert granted.after == {"area_id": other, "keywords": "Építész, tervező"}
    assert changed.before == {"area_id": other, "keywords": "Építész, tervező"}
    f.user(world["T_R"], roles={svc: [Role.REQUEST_HANDLER]})
    revoke_area(actor=world["r_da"], authority_id=target, area_id=svc)
    assert f.reload(AuthorityArea, (target, svc)) is None
    assert _count(RoleAssignment, RoleAssignment.area_id == svc, RoleAssignment.role == Role.REQUEST_HANDLER) == 0
    [revoked] = _audit("authority.area_revoke")
    assert revoked.before["area_id"] == svc and len(revoked.before["roles"]) == 1
    before = _state()
    with pytest.raises(ValidationFailed):
        grant_area(actor=world["r_da"], authority_id=target, area_id=other, keywords="x" * 1001)
    with pytest.raises(Conflict):
        revoke_area(actor=world["r_da"], authority_id=target, area_id=svc)  # not granted any more
    assert _state() == before


def test_revoking_an_area_with_open_requests_is_refused_with_the_count(world):
    target, svc = world["T_R"].id, world["svc"].id
    _open_request(world)
    _open_request(world, status=RequestStatus.DRAFT, requester=world["T_R"], responder=world["d_child"])
    _open_request(world, status=RequestStatus.CLOSED)
    _open_request(world, area="pq")
    before = _state()
    with pytest.raises(Conflict) as raised:
        revoke_area(actor=world["r_da"], authority_id=target, area_id=svc)
    assert raised.value.message.startswith("This area cannot be revoked") and raised.value.params == {"count": 2}
    assert _state() == before
    detail = coordinated_detail(actor=world["r_da"], authority_id=target)
    assert {a.area.code: a.open_requests for a in detail.areas}["services"] == 2
    with session_scope() as session:
        for row in session.exec(select(InfoRequest)).all():
            row.status = RequestStatus.CLOSED
    revoke_area(actor=world["r_da"], authority_id=target, area_id=svc)
    with pytest.raises(Conflict) as raised:  # the last area stays
        revoke_area(actor=world["r_da"], authority_id=target, area_id=world["pq"].id)
    assert "at least one" in raised.value.message


def test_area_changes_need_the_role_in_that_area(world):
    before = _state()
    with pytest.raises(Denied):
        grant_area(actor=world["n_pq_da"], authority_id=world["T_R"].id, area_id=world["other"].id,
                   keywords="")
    with pytest.raises(Denied):
        revoke_area(actor=world["n_pq_da"], authority_id=world["T_R"].id, area_id=world["svc"].id)
    for bad in ("1", None, True, 2**70):
        with pytest.raises(Denied):
            grant_area(actor=world["n_da"], authority_id=bad, area_id=world["pq"].id, keywords="")
    assert _state() == before
    revoke_area(actor=world["n_pq_da"], authority_id=world["T_N"].id, area_id=world["pq"].id)


# --- the permission matrix -----------------------------------------------------------------------

ACTIONS = ("register", "invite", "validate", "reject", "edit name", "grant area", "revoke area", "new LDA password",
           "list")


def _attempt(world, actor: User, action: str, place: str) -> None:
    """One action on the authorities under coordinator `place` ("R" or "N"), rolled back afterwards."""
    target, pending, lda = world[f"T_{place}"], world[f"P_{place}"], world[f"t_{place.lower()}_lda"]
    calls = {
        "register": lambda s: register_authority.within(s, actor=actor, data=_input(
            world, parent_id=world[place].id, user_email="matrix@x.example")),
        "invite": lambda s: invite_authority.within(s, actor=actor, email="m@x.example", language="en",
                                                    coordinator_id=world[place].id),
        "validate": lambda s: validate_authority.within(s, actor=actor, authority_id=pending.id),
        "reject": lambda s: reject_authority.within(s, actor=actor, authority_id=pending.id, reason="No."),
        "edit name": lambda s: rename_authority.within(s, actor=actor, authority_id=target.id, official_name="Renamed",
                                                       other_names={}),
        "grant area": lambda s: grant_area.within(s, actor=actor, authority_id=target.id, area_id=world["other"].id,
                                                  keywords="k"),
        "revoke area": lambda s: revoke_area.within(s, actor=actor, authority_id=target.id, area_id=world["svc"].id),
        "new LDA password": lambda s: create_new_password(s, actor=actor, user_id=lda.id),
        "list": lambda s: list_coordinated(s, actor=actor),
    }
    with Session(get_engine(), expire_on_commit=False) as session:
        try:
            calls[action](session)
        finally:
            session.rollback()


ALL, NONE = set(ACTIONS), set()
MATRIX = [  # (actor, place) -> the actions allowed
    ("n_da", "R", ALL), ("n_da", "N", ALL),
    ("r_da", "R", ALL), ("r_da", "N", {"list"}),
    ("n_pq_da", "R", ALL - {"grant area", "revoke area"}),
    ("d_da", "R", {"list"}), ("d_da", "N", {"list"}),
    ("n_lda_only", "N", NONE), ("s_lda", "R", NONE), ("handler", "R", NONE), ("basic", "R", NONE),
    ("x_da", "N", NONE),
]


@pytest.mark.parametrize("actor, place, allowed", MATRIX, ids=[f"{a}-{p}" for a, p, _ in MATRIX])
def test_permission_matrix(world, actor, place, allowed):
    before = _state()
    outcome = {}
    for action in ACTIONS:
        denied_before = len(_audit("access.denied"))
        try:
            _attempt(world, world[actor], action, place)
            outcome[action] = True
        except Denied:
            outcome[action] = False
            assert len(_audit("access.denied")) == denied_before + 1, action
    assert {a for a, ok in outcome.items() if ok} == allowed
    assert _state() == before


def test_every_change_is_audited_without_secrets(world):
    token = _invite(world["n_da"])
    authority = _self_register(token, _input(world, user_email="first@new.example"))
    validate_authority(actor=world["n_da"], authority_id=authority.id)
    _register(world["n_da"], _input(world, user_email="direct@new.example"))
    actions = {e.action for e in _count_rows(AuditEntry)}
    assert {"authority.invite", "authority.self_register", "authority.validate", "authority.register"} <= actions
    dump = json.dumps([(e.before, e.after) for e in _count_rows(AuditEntry)], default=str)
    passwords = [TEMP_PASSWORD.search(m.body_text).group(1) for m in _mails("temporary_password")]
    assert token not in dump and not any(p in dump for p in passwords)


def test_new_coordinator_can_coordinate_at_once(world):
    areas = {world["pq"].id: ""}
    authority, user = _register(world["n_da"], _input(world, is_coordinator=True, areas=areas))
    with session_scope() as session:
        row = session.get(User, user.id)
        row.password_is_temporary = False  # as if the first sign-in were done
    sub_da = f.reload(User, user.id)
    child, _ = _register(sub_da, _input(world, user_email="child@new.example"))
    assert f.reload(Authority, child.id).parent_coordinator_id == authority.id
    with session_scope() as session:
        assert child.id in [row.id for row in list_coordinated(session, actor=world["n_da"], page_size=100)[0]]


def test_names_in_further_languages_come_once_per_language(world):
    before = _state()
    for names in ([("en", "A"), ("en", "B")], [("en",)], [["xx", "A"]], [(["en"], "A")]):
        with pytest.raises(ValidationFailed) as raised:
            _register(world["n_da"], _input(world, other_names=names))
        assert "other_names" in raised.value.errors
    assert _state() == before
    authority, _ = _register(world["n_da"], _input(world, other_names=[("en", "Chamber"), ("de", "Kammer")]))
    detail = coordinated_detail(actor=world["n_da"], authority_id=authority.id)
    assert detail.other_names == {"de": "Kammer", "en": "Chamber"}


def test_two_registrations_through_one_link_at_once_make_one_authority(world):
    import threading

    token = _invite(world["n_da"])
    outcomes: list[str] = []

    def attempt(number: int) -> None:
        try:
            _self_register(token, _input(world, official_name=f"Racer {number}", user_email=f"racer{number}@x.example"))
            outcomes.append("registered")
        except InvitationProblem as problem:
            outcomes.append(problem.reason)

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["registered", USED, USED, USED]
    assert _count(Authority, Authority.official_name.like("Racer %")) == 1

"""A coordinator's data administrators: register, validate and reject authorities, edit names and areas."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, func, select

from imi_app.core.i18n import N_, available_languages
from imi_app.mail.outbox import queue_mail
from imi_app.authorities.models import (
    Authority, AuthorityArea, AuthorityName, AuthorityStatus, Invitation, LegislativeArea,
)
from imi_app.requests.models import OPEN_STATUSES, InfoRequest, RequestStatus
from imi_app.accounts.models import Role, RoleAssignment, User, UserSession
from imi_app.core.time import utcnow
from imi_app.authorities import rules as _rules  # noqa: F401 - registers the authority rules
from imi_app.policy import acting_coordinator, has_role_in_area
from imi_app.core import audit
from imi_app.core.actions import action
from imi_app.accounts import names as person_names
from imi_app.accounts.auth import username_key
from imi_app.authorities.own_authority import AUTHORITY_LANGUAGES, contact_problems
from imi_app.core.errors import Conflict, ValidationFailed
from imi_app.accounts.users import _issue_temporary_password, create_new_password, generate_username
from imi_app.policy import deny, require, require_locked
from imi_app.core.edges import is_id
from imi_app.core.validation import email_key, email_problem, field_problems, text_problem

NOT_VALID = N_("This value is not valid.")


@dataclass
class AuthorityInput:
    """A new authority and its first user, as the registration forms send them."""

    official_name: str
    contact_email: str
    address: str = ""
    phone: str = ""
    languages: list[str] = field(default_factory=list)
    areas: dict[int, str] = field(default_factory=dict)  # legislative area id -> keywords
    other_names: dict[str, str] | list[tuple[str, str]] = field(default_factory=dict)  # language -> name
    user_family_name: str = ""  # the first user's name in two parts, kept in the order of the country's custom
    user_given_name: str = ""
    user_email: str = ""
    user_language: str = "en"
    country: str = ""  # "" means the coordinator's country, the only one allowed
    parent_id: int | None = None  # None: the registering data administrator's own coordinator
    is_coordinator: bool = False


def area_ids_of(session: Session, authority_id: int) -> set[int]:
    return set(session.exec(select(AuthorityArea.area_id).where(AuthorityArea.authority_id == authority_id)).all())


def grantable_area_ids(session: Session, actor: User) -> set[int]:
    """Areas the actor may grant: its coordinator works in them and it is a data administrator there."""
    own = acting_coordinator(session, actor)
    if own is None:
        return set()
    return {area_id for area_id in area_ids_of(session, own.id)
            if has_role_in_area(session, actor, Role.DATA_ADMINISTRATOR, area_id)}


def _keywords_problem(areas: object, allowed: set[int]) -> str | None:
    if not isinstance(areas, dict):
        return NOT_VALID
    if not areas:
        return N_("Choose at least one legislative area.")
    for area_id, keywords in areas.items():
        if not is_id(area_id):
            return NOT_VALID
        if area_id not in allowed:
            return N_("The coordinator does not work in this legislative area.")
        problem = text_problem(keywords, required=False, max_length=1000)
        if problem:
            return problem
    return None


def name_pairs(names: object) -> list[tuple[object, object]] | None:
    """Names in further languages as (language, name) pairs, from a dict or a list of pairs; None if neither."""
    if isinstance(names, dict):
        return list(names.items())
    if isinstance(names, (list, tuple)) and all(isinstance(p, (list, tuple)) and len(p) == 2 for p in names):
        return [tuple(p) for p in names]  # type: ignore[misc]
    return None


def names_problem(names: object) -> str | None:
    pairs = name_pairs(names)
    if pairs is None or len(pairs) > len(AUTHORITY_LANGUAGES):
        return NOT_VALID
    if len({language for language, _ in pairs if isinstance(language, str)}) < len(pairs):
        return N_("Give each language only once.")
    for language, name in pairs:
        if language not in AUTHORITY_LANGUAGES:
            return N_("Choose a language for every further name.")
        problem = text_problem(name, max_length=300)
        if problem:
            return problem
    return None


def check_authority_input(session: Session, data: AuthorityInput, *, coordinator: Authority,
                          allowed_areas: set[int]) -> None:
    """Every field of a new authority and its first user; raises ValidationFailed, changes nothing."""
    errors = {**contact_problems(data), **field_problems({  # type: ignore[arg-type]
        "official_name": text_problem(data.official_name, max_length=300),
        "areas": _keywords_problem(data.areas, allowed_areas),
        "other_names": names_problem(data.other_names),
        "user_email": email_problem(data.user_email),
    }), **person_names.name_problems(data.user_family_name, data.user_given_name, family_key="user_family_name",
                                     given_key="user_given_name")}
    if data.user_language not in available_languages():
        errors["user_language"] = NOT_VALID
    if data.country not in ("", coordinator.country_code):
        errors["country"] = N_("A coordinator registers authorities of its own country only.")
    if not isinstance(data.is_coordinator, bool):
        errors["is_coordinator"] = NOT_VALID
    if "user_email" not in errors and session.exec(
            select(User.id).where(User.email_key == email_key(data.user_email))).first() is not None:
        errors["user_email"] = N_("This e-mail address is already used by another user.")
    if errors:
        raise ValidationFailed(errors)


def create_authority(session: Session, data: AuthorityInput, *, coordinator: Authority, status: str,
                     is_coordinator: bool) -> tuple[Authority, User]:
    """The authority, its areas and names, and its first user (its local data administrator), without password."""
    authority = Authority(
        country_code=coordinator.country_code, official_name=data.official_name.strip(),
        is_coordinator=is_coordinator, parent_coordinator_id=coordinator.id,
        contact_email=data.contact_email.strip(), address=data.address.strip(), phone=data.phone.strip(),
        languages=",".join(sorted(set(data.languages))), status=status,
    )
    session.add(authority)
    session.flush()
    for area_id, keywords in data.areas.items():
        session.add(AuthorityArea(authority_id=authority.id, area_id=area_id, keywords=keywords.strip()))
    for language, name in name_pairs(data.other_names) or []:
        session.add(AuthorityName(authority_id=authority.id, language=language, name=name.strip()))
    user = User(authority_id=authority.id, email=data.user_email.strip(),
                full_name=person_names.full_name(data.user_family_name, data.user_given_name, authority.country_code),
                email_key=email_key(data.user_email), language=data.user_language, is_lda=True,
                username="", username_key="", password_hash="", password_is_temporary=True)
    user.username = generate_username(session, user.full_name, authority.country_code, family=data.user_family_name)
    user.username_key = username_key(user.username)
    session.add(user)
    session.flush()
    return authority, user


def snapshot(session: Session, authority: Authority) -> dict:
    areas = session.exec(select(AuthorityArea).where(AuthorityArea.authority_id == authority.id)).all()
    names = session.exec(select(AuthorityName).where(AuthorityName.authority_id == authority.id)).all()
    return {"official_name": authority.official_name, "country": authority.country_code,
            "status": authority.status, "is_coordinator": authority.is_coordinator,
            "parent_coordinator_id": authority.parent_coordinator_id, "contact_email": authority.contact_email,
            "areas": {str(a.area_id): a.keywords for a in areas}, "names": {n.language: n.name for n in names}}


@action
def register_authority(session: Session, *, actor: User, data: AuthorityInput) -> tuple[Authority, User]:
    """Registered and validated at once; the first user gets a temporary password, the caller shows the username."""
    parent_id = actor.authority_id if data.parent_id is None else data.parent_id
    if not is_id(parent_id):
        raise deny(session, actor, "coordination.register", "authority", repr(parent_id)[:40])
    parent = session.get(Authority, parent_id)
    require(session, actor, "coordination.register", parent, "authority", parent_id)
    check_authority_input(session, data, coordinator=parent, allowed_areas=grantable_area_ids(session, actor))
    authority, user = create_authority(session, data, coordinator=parent, status=AuthorityStatus.ACTIVE,
                                       is_coordinator=data.is_coordinator)
    authority.validated_at, authority.validated_by_user_id = utcnow(), actor.id
    if data.is_coordinator:
        # The first user of a coordinator is its data administrator in every area it works in.
        for area_id in data.areas:
            session.add(RoleAssignment(user_id=user.id, area_id=area_id, role=Role.DATA_ADMINISTRATOR))
    _issue_temporary_password(session, user, "temporary_password", authority)
    audit.record(session, action="authority.register", actor=actor, object_type="authority", object_id=authority.id,
                 after={**snapshot(session, authority), "first_user_id": user.id})
    return authority, user


def _locked_target(session: Session, actor: User, action: str, authority_id: object) -> Authority:
    return require_locked(session, actor, action, Authority, "authority", authority_id)


def _require_pending(target: Authority) -> None:
    if target.status != AuthorityStatus.PENDING:
        raise Conflict(N_("This authority is not waiting for validation."))


@action
def validate_authority(session: Session, *, actor: User, authority_id: int) -> tuple[Authority, list[User]]:
    """Activates a self-registered authority; only now do its users get temporary passwords by e-mail."""
    target = _locked_target(session, actor, "coordination.validate", authority_id)
    _require_pending(target)
    target.status, target.validated_at, target.validated_by_user_id = AuthorityStatus.ACTIVE, utcnow(), actor.id
    users = list(session.exec(select(User).where(User.authority_id == target.id).order_by(User.id)).all())
    for user in users:
        _issue_temporary_password(session, user, "temporary_password", target)
    audit.record(session, action="authority.validate", actor=actor, object_type="authority", object_id=target.id,
                 before={"status": AuthorityStatus.PENDING},
                 after={"status": AuthorityStatus.ACTIVE, "user_ids": [u.id for u in users]})
    return target, users


@action
def reject_authority(session: Session, *, actor: User, authority_id: int, reason: str) -> Authority:
    """Refuses a self-registration with a reason, e-mailed to the authority's contact address."""
    target = _locked_target(session, actor, "coordination.validate", authority_id)
    problem = text_problem(reason, max_length=1000, multiline=True)
    if problem:
        raise ValidationFailed({"reason": problem})
    _require_pending(target)
    coordinator = session.get(Authority, target.parent_coordinator_id)
    invitation = session.exec(select(Invitation).where(Invitation.authority_id == target.id)).first()
    target.status, target.rejection_reason = AuthorityStatus.REJECTED, reason.strip()
    # The accounts never worked; removing them lets the same people register again after a new invitation.
    users = session.exec(select(User).where(User.authority_id == target.id)).all()
    for user in users:
        for row in session.exec(select(RoleAssignment).where(RoleAssignment.user_id == user.id)).all():
            session.delete(row)
        for row in session.exec(select(UserSession).where(UserSession.user_id == user.id)).all():
            session.delete(row)
    session.flush()
    for user in users:
        session.delete(user)
    queue_mail(session, recipient=target.contact_email, kind="authority_rejected",
               language=invitation.language if invitation else "en",
               params={"coordinator": coordinator.official_name, "authority": target.official_name,
                       "reason": target.rejection_reason, "coordinator_email": coordinator.contact_email})
    audit.record(session, action="authority.reject", actor=actor, object_type="authority", object_id=target.id,
                 before={"status": AuthorityStatus.PENDING},
                 after={"status": AuthorityStatus.REJECTED, "reason": target.rejection_reason,
                        "removed_user_ids": [u.id for u in users]})
    return target


@action
def rename_authority(session: Session, *, actor: User, authority_id: int, official_name: str,
                     other_names: dict[str, str] | list[tuple[str, str]]) -> Authority:
    """The official name and the names in further languages (the directory finds it by any of them)."""
    target = _locked_target(session, actor, "coordination.edit_name", authority_id)
    errors = {key: problem for key, problem in (("official_name", text_problem(official_name, max_length=300)),
                                                 ("other_names", names_problem(other_names))) if problem}
    if errors:
        raise ValidationFailed(errors)
    before = snapshot(session, target)
    target.official_name = official_name.strip()
    other_names = dict(name_pairs(other_names) or [])
    existing = {row.language: row for row in session.exec(
        select(AuthorityName).where(AuthorityName.authority_id == target.id)).all()}
    for language, row in existing.items():
        if language not in other_names:
            session.delete(row)
        else:
            row.name = other_names[language].strip()
    for language, name in other_names.items():
        if language not in existing:
            session.add(AuthorityName(authority_id=target.id, language=language, name=name.strip()))
    session.flush()
    after = snapshot(session, target)
    audit.record(session, action="authority.rename", actor=actor, object_type="authority", object_id=target.id,
                 before={k: before[k] for k in ("official_name", "names")},
                 after={k: after[k] for k in ("official_name", "names")})
    return target


def _area_target(session: Session, actor: User, action: str, authority_id: object, area_id: object) -> Authority:
    if not is_id(authority_id) or not is_id(area_id):
        raise deny(session, actor, action, "authority", repr(authority_id)[:40])
    target = session.exec(select(Authority).where(Authority.id == authority_id).with_for_update()).first()
    probe = AuthorityArea(authority_id=authority_id, area_id=area_id)  # what the rule is asked about; never saved
    require(session, actor, action, probe if target is not None else None, "authority", authority_id)
    return target


@action
def grant_area(session: Session, *, actor: User, authority_id: int, area_id: int, keywords: str) -> AuthorityArea:
    """Grants a legislative area with its keywords, or changes the keywords of an area already granted."""
    target = _area_target(session, actor, "coordination.grant_area", authority_id, area_id)
    if area_id not in grantable_area_ids(session, actor) or session.get(LegislativeArea, area_id) is None:
        raise ValidationFailed({"areas": N_("The coordinator does not work in this legislative area.")})
    problem = text_problem(keywords, required=False, max_length=1000)
    if problem:
        raise ValidationFailed({"keywords": problem})
    row = session.get(AuthorityArea, (target.id, area_id))
    before = None if row is None else {"area_id": area_id, "keywords": row.keywords}
    if row is None:
        row = AuthorityArea(authority_id=target.id, area_id=area_id)
        session.add(row)
    row.keywords = keywords.strip()
    audit.record(session, action="authority.area_grant" if before is None else "authority.area_keywords",
                 actor=actor, object_type="authority", object_id=target.id, before=before,
                 after={"area_id": area_id, "keywords": row.keywords})
    return row


def open_request_count(session: Session, authority_id: int, area_id: int) -> int:
    return session.exec(select(func.count()).select_from(InfoRequest).where(
        InfoRequest.area_id == area_id, InfoRequest.status.in_(OPEN_STATUSES),  # type: ignore[attr-defined]
        (InfoRequest.requesting_authority_id == authority_id)
        | (InfoRequest.responding_authority_id == authority_id))).one()


@action
def revoke_area(session: Session, *, actor: User, authority_id: int, area_id: int) -> None:
    """Takes a legislative area away, with its users' roles in it; refused while requests in it are open."""
    target = _area_target(session, actor, "coordination.revoke_area", authority_id, area_id)
    row = session.get(AuthorityArea, (target.id, area_id))
    if row is None:
        raise Conflict(N_("The authority does not work in this legislative area."))
    count = open_request_count(session, target.id, area_id)
    if count:
        raise Conflict(N_("This area cannot be revoked: the authority still has open requests in it ({count}). "
                          "They must be closed or withdrawn first."), count=count)
    if len(area_ids_of(session, target.id)) <= 1:
        raise Conflict(N_("An authority must work in at least one legislative area."))
    roles = session.exec(select(RoleAssignment).join(User, User.id == RoleAssignment.user_id).where(
        User.authority_id == target.id, RoleAssignment.area_id == area_id)).all()
    removed = sorted({(r.user_id, r.role) for r in roles})
    for role in roles:
        session.delete(role)
    session.delete(row)
    audit.record(session, action="authority.area_revoke", actor=actor, object_type="authority", object_id=target.id,
                 before={"area_id": area_id, "keywords": row.keywords,
                         "roles": [f"{user_id}:{role}" for user_id, role in removed]},
                 after={"area_id": area_id, "granted": False})


@action
def create_lda_password(session: Session, *, actor: User, authority_id: int, user_id: int) -> User:
    """A new temporary password for a local data administrator of an authority the actor coordinates."""
    target = _locked_target(session, actor, "coordination.view", authority_id)
    user = session.get(User, user_id) if is_id(user_id) else None
    if user is None or user.authority_id != target.id or not user.is_lda:
        raise deny(session, actor, "user.reset_password", "user", repr(user_id)[:40])
    if target.status != AuthorityStatus.ACTIVE:
        raise Conflict(N_("The users of this authority get their first password when it is validated."))
    return create_new_password(session, actor=actor, user_id=user.id)

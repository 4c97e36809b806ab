"""A coordinator's settings per legislative area, its data administrators, and `oversight()` for requests."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from imi_app.core.edges import is_id
from imi_app.core.i18n import N_
from imi_app.authorities.models import REFERRAL_MODES, Authority, AuthorityArea, CoordinatorSetting, LegislativeArea, ReferralMode
from imi_app.accounts.models import Role, RoleAssignment, User
from imi_app.core.time import utcnow
from imi_app.authorities import rules as _rules  # noqa: F401 - registers the authority rules
from imi_app.policy import coordinator_chain
from imi_app.core import audit
from imi_app.core.actions import action, query
from imi_app.core.errors import Conflict, ValidationFailed
from imi_app.policy import deny, require


@dataclass(frozen=True)
class StaffMember:
    id: int
    full_name: str
    username: str
    is_active: bool


@dataclass(frozen=True)
class AreaSettings:
    """What one legislative area's card shows; a coordinator without a stored row has the defaults."""

    area_id: int
    area_code: str
    area_names: dict
    referral_mode: str
    referee_user_id: int | None
    approve_requests: bool
    approve_answers: bool
    can_edit: bool  # the actor is a data administrator in this area
    data_administrators: tuple[StaffMember, ...]


@dataclass(frozen=True)
class ReferralArbiter:
    coordinator_id: int
    mode: str  # ReferralMode.SELF (its data administrators) or ReferralMode.REFEREE
    referee_user_id: int | None  # set only with ReferralMode.REFEREE


@dataclass(frozen=True)
class Oversight:
    request_approvers: tuple[int, ...]
    answer_approvers: tuple[int, ...]
    referral_arbiter: ReferralArbiter | None


def _area_ids(session: Session, authority_id: int) -> list[int]:
    return list(session.exec(select(AuthorityArea.area_id).where(AuthorityArea.authority_id == authority_id)).all())


def _stored(session: Session, coordinator_id: int, area_id: int, *, lock: bool = False) -> CoordinatorSetting | None:
    query = select(CoordinatorSetting).where(CoordinatorSetting.coordinator_id == coordinator_id,
                                             CoordinatorSetting.area_id == area_id)
    return session.exec(query.with_for_update() if lock else query).first()


def _setting_or_default(session: Session, coordinator_id: int, area_id: int, *, lock: bool = False) -> CoordinatorSetting:
    return _stored(session, coordinator_id, area_id, lock=lock) or CoordinatorSetting(
        coordinator_id=coordinator_id, area_id=area_id)


def _snapshot(setting: CoordinatorSetting) -> dict:
    return {"referral_mode": setting.referral_mode, "referee_user_id": setting.referee_user_id,
            "approve_requests": setting.approve_requests, "approve_answers": setting.approve_answers}


def _data_administrators(session: Session, coordinator_id: int, area_id: int) -> tuple[StaffMember, ...]:
    rows = session.exec(select(User).join(RoleAssignment, RoleAssignment.user_id == User.id).where(
        User.authority_id == coordinator_id, RoleAssignment.area_id == area_id,
        RoleAssignment.role == Role.DATA_ADMINISTRATOR).order_by(User.full_name, User.id)).all()
    return tuple(StaffMember(u.id, u.full_name, u.username, u.is_active) for u in rows)


def get_settings(session: Session, *, actor: User, coordinator_id: int) -> list[AreaSettings]:
    """The settings of every area the coordinator works in, for its data administrators."""
    if not is_id(coordinator_id):
        raise deny(session, actor, "coordinator_settings.view", "authority", repr(coordinator_id)[:40])
    coordinator = session.get(Authority, coordinator_id)
    require(session, actor, "coordinator_settings.view", coordinator, "authority", coordinator_id)
    areas = session.exec(select(LegislativeArea).join(AuthorityArea, AuthorityArea.area_id == LegislativeArea.id)
                         .where(AuthorityArea.authority_id == coordinator_id).order_by(LegislativeArea.code)).all()
    mine = set(session.exec(select(RoleAssignment.area_id).where(
        RoleAssignment.user_id == actor.id, RoleAssignment.role == Role.DATA_ADMINISTRATOR)).all())
    result = []
    for area in areas:
        setting = _setting_or_default(session, coordinator_id, area.id)
        result.append(AreaSettings(
            area_id=area.id, area_code=area.code, area_names=dict(area.names),
            referral_mode=setting.referral_mode, referee_user_id=setting.referee_user_id,
            approve_requests=setting.approve_requests, approve_answers=setting.approve_answers,
            can_edit=area.id in mine, data_administrators=_data_administrators(session, coordinator_id, area.id)))
    return result


def coordinator_staff(session: Session, *, actor: User, coordinator_id: int) -> list[StaffMember]:
    """The active users of the coordinator: who can become approver-referee or data administrator."""
    if not is_id(coordinator_id):
        raise deny(session, actor, "coordinator_settings.view", "authority", repr(coordinator_id)[:40])
    require(session, actor, "coordinator_settings.view", session.get(Authority, coordinator_id),
            "authority", coordinator_id)
    rows = session.exec(select(User).where(User.authority_id == coordinator_id, col(User.is_active).is_(True))
                        .order_by(User.full_name, User.id)).all()
    return [StaffMember(u.id, u.full_name, u.username, u.is_active) for u in rows]


@dataclass(frozen=True)
class SettingsPage:
    """The settings screen: every area's card of the actor's coordinator, and its active staff."""

    areas: list[AreaSettings]
    staff: list[StaffMember]


@query
def settings_page(session: Session, *, actor: User) -> SettingsPage:
    return SettingsPage(get_settings(session, actor=actor, coordinator_id=actor.authority_id),
                        coordinator_staff(session, actor=actor, coordinator_id=actor.authority_id))


def _area_target(session: Session, actor: User, action: str, area_id: object) -> CoordinatorSetting:
    """The actor's coordinator's setting row for the area (unsaved when it has the defaults), once allowed."""
    if not is_id(area_id):
        raise deny(session, actor, action, "coordinator_setting", repr(area_id)[:40])
    # The coordinator row is locked so that two data administrators' changes of one area run one after the other.
    session.exec(select(Authority).where(Authority.id == actor.authority_id).with_for_update()).first()
    setting = _setting_or_default(session, actor.authority_id, area_id, lock=True)  # type: ignore[arg-type]
    require(session, actor, action, setting, "coordinator_setting", f"{actor.authority_id}:{area_id}")
    return setting


def _active_staff(session: Session, coordinator_id: int, user_id: object) -> User | None:
    if not is_id(user_id):
        return None
    user = session.get(User, user_id)
    return user if user and user.authority_id == coordinator_id and user.is_active else None


def _set_role(session: Session, actor: User, user_id: int, area_id: int, role: str, present: bool) -> None:
    row = session.exec(select(RoleAssignment).where(RoleAssignment.user_id == user_id, RoleAssignment.area_id == area_id,
                                                    RoleAssignment.role == role)).first()
    if present and row is None:
        session.add(RoleAssignment(user_id=user_id, area_id=area_id, role=role))
    elif not present and row is not None:
        session.delete(row)
    else:
        return
    audit.record(session, action=f"{role}.{'grant' if present else 'revoke'}", actor=actor, object_type="user",
                 object_id=user_id, before={"area_id": area_id, role: not present},
                 after={"area_id": area_id, role: present})


@action
def update_setting(session: Session, *, actor: User, area_id: int, referral_mode: str, referee_user_id: int | None,
                   approve_requests: bool, approve_answers: bool) -> CoordinatorSetting:
    """Saves one area's settings of the actor's coordinator; the approver-referee role follows the referee."""
    setting = _area_target(session, actor, "coordinator_settings.edit", area_id)
    errors: dict[str, str] = {}
    if not isinstance(referral_mode, str) or referral_mode not in REFERRAL_MODES:
        errors["referral_mode"] = N_("This value is not valid.")
    elif referral_mode == ReferralMode.REFEREE:
        if referee_user_id is None or referee_user_id == "":
            errors["referee_user_id"] = N_("Choose the approver-referee.")
        elif _active_staff(session, actor.authority_id, referee_user_id) is None:
            errors["referee_user_id"] = N_("The approver-referee must be an active user of your authority.")
    for name, value in (("approve_requests", approve_requests), ("approve_answers", approve_answers)):
        if not isinstance(value, bool):
            errors[name] = N_("This value is not valid.")
    if errors:
        raise ValidationFailed(errors)
    before = _snapshot(setting)
    new_referee = referee_user_id if referral_mode == ReferralMode.REFEREE else None
    old_referee = setting.referee_user_id if setting.referral_mode == ReferralMode.REFEREE else None
    if old_referee is not None and old_referee != new_referee:
        _set_role(session, actor, old_referee, area_id, Role.APPROVER_REFEREE, False)
    if new_referee is not None:
        _set_role(session, actor, new_referee, area_id, Role.APPROVER_REFEREE, True)  # type: ignore[arg-type]
    setting.referral_mode, setting.referee_user_id = referral_mode, new_referee  # type: ignore[assignment]
    setting.approve_requests, setting.approve_answers = approve_requests, approve_answers
    setting.updated_at = utcnow()
    session.add(setting)
    session.flush()
    audit.record(session, action="coordinator_setting.update", actor=actor, object_type="coordinator_setting",
                 object_id=f"{setting.coordinator_id}:{area_id}", before=before, after=_snapshot(setting))
    return setting


def _active_data_admins(session: Session, coordinator_id: int, area_id: int) -> int:
    return session.exec(select(func.count()).select_from(RoleAssignment).join(User, User.id == RoleAssignment.user_id)
                        .where(User.authority_id == coordinator_id, col(User.is_active).is_(True),
                               RoleAssignment.area_id == area_id,
                               RoleAssignment.role == Role.DATA_ADMINISTRATOR)).one()


@action
def grant_data_admin(session: Session, *, actor: User, area_id: int, user_id: int) -> None:
    """Gives another active user of the actor's coordinator the data administrator role in one area."""
    _area_target(session, actor, "data_admin.grant", area_id)
    user = _active_staff(session, actor.authority_id, user_id)
    if user is None:
        raise deny(session, actor, "data_admin.grant", "user", repr(user_id)[:40])
    if user.id in {m.id for m in _data_administrators(session, actor.authority_id, area_id)}:
        raise Conflict(N_("This user is already a data administrator in this legislative area."))
    _set_role(session, actor, user.id, area_id, Role.DATA_ADMINISTRATOR, True)


@action
def revoke_data_admin(session: Session, *, actor: User, area_id: int, user_id: int) -> None:
    """Takes the role away; the last active data administrator of an area keeps it."""
    _area_target(session, actor, "data_admin.revoke", area_id)
    holders = {m.id: m for m in _data_administrators(session, actor.authority_id, area_id)}
    if not is_id(user_id) or user_id not in holders:
        raise deny(session, actor, "data_admin.revoke", "user", repr(user_id)[:40])
    if holders[user_id].is_active and _active_data_admins(session, actor.authority_id, area_id) <= 1:
        raise Conflict(N_("A legislative area must keep at least one data administrator. Give the role to "
                          "someone else first."))
    _set_role(session, actor, user_id, area_id, Role.DATA_ADMINISTRATOR, False)


def oversight(session: Session, *, authority_id: int, area_id: int) -> Oversight:
    """Which coordinators approve or arbitrate an exchange of `authority_id` in `area_id`.

    The request workflow asks this and nothing else. Coordinators are looked for above the
    authority (`coordinator_chain`, nearest first: a regional coordinator, then the national one);
    the authority itself never counts, even when it is a coordinator. A coordinator without a stored
    setting for the area has the defaults: it takes part in referrals itself and approves nothing.

    - `request_approvers`: ids of the coordinators above that work in the area and whose setting
      for it has approval of outgoing requests on, nearest first; a request the authority sends goes
      through each of them in this order. Empty: it is sent directly.
    - `answer_approvers`: the same for approval of outgoing answers.
    - `referral_arbiter`: the nearest coordinator above the authority that works in the area (a
      coordinator that does not cover the area has no data administrator for it and is passed
      over), with how it takes part: `ReferralMode.SELF` (its data administrators for the area give
      the opinion) or `ReferralMode.REFEREE` with the approver-referee's user id. When that referee
      is no longer an active user of the coordinator, the data administrators take over (SELF).
      None when that coordinator opted out (`ReferralMode.NONE`) or no coordinator above works in
      the area: the referral then goes on without this side's opinion.
    """
    chain = coordinator_chain(session, authority_id)
    if not chain:
        return Oversight((), (), None)
    settings = {s.coordinator_id: s for s in session.exec(select(CoordinatorSetting).where(
        col(CoordinatorSetting.coordinator_id).in_(chain), CoordinatorSetting.area_id == area_id)).all()}
    # A setting left over from an area the coordinator no longer works in counts for nothing.
    covering = set(session.exec(select(AuthorityArea.authority_id).where(
        col(AuthorityArea.authority_id).in_(chain), AuthorityArea.area_id == area_id)).all())
    request_approvers = tuple(c for c in chain if c in covering and c in settings and settings[c].approve_requests)
    answer_approvers = tuple(c for c in chain if c in covering and c in settings and settings[c].approve_answers)
    nearest = next((c for c in chain if c in covering), None)
    return Oversight(request_approvers, answer_approvers, _arbiter(session, nearest, settings.get(nearest)))


def _arbiter(session: Session, coordinator_id: int | None, setting: CoordinatorSetting | None) -> ReferralArbiter | None:
    if coordinator_id is None:
        return None
    mode = setting.referral_mode if setting else ReferralMode.SELF
    if mode == ReferralMode.NONE:
        return None
    if mode == ReferralMode.REFEREE:
        referee = _active_staff(session, coordinator_id, setting.referee_user_id)  # type: ignore[union-attr]
        if referee is not None:
            return ReferralArbiter(coordinator_id, ReferralMode.REFEREE, referee.id)
    return ReferralArbiter(coordinator_id, ReferralMode.SELF, None)


__all__ = ["AreaSettings", "Oversight", "ReferralArbiter", "SettingsPage", "StaffMember", "coordinator_staff",
           "get_settings", "grant_data_admin", "oversight", "revoke_data_admin", "settings_page", "update_setting"]

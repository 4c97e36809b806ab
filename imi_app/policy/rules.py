"""The one access policy: `can(session, actor, action, obj)`, deny by default (SEC-10)."""

from __future__ import annotations

import logging
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy import orm as sa_orm
from sqlmodel import Session, select

from imi_app.authorities.models import Authority, AuthorityArea, AuthorityLink, AuthorityStatus, CoordinatorSetting
from imi_app.accounts.models import Role, RoleAssignment, User
from imi_app.requests import rules as request_rules

log = logging.getLogger(__name__)


def is_active_user(user: User | None) -> bool:
    return bool(user and user.id and user.is_active and user.blocked_at is None
                and not user.password_is_temporary)


def coordinator_chain(session: Session, authority_id: int) -> list[int]:
    """Ids of the coordinators above an authority, nearest first (the tree per country)."""
    chain: list[int] = []
    current = session.get(Authority, authority_id)
    while current and current.parent_coordinator_id and current.parent_coordinator_id not in chain:
        chain.append(current.parent_coordinator_id)
        current = session.get(Authority, current.parent_coordinator_id)
    return chain


def has_area_role(session: Session, user: User, role: str) -> bool:
    return session.exec(
        select(RoleAssignment.id).where(RoleAssignment.user_id == user.id, RoleAssignment.role == role)
    ).first() is not None


def _lda_of(actor: User, authority_id: int | None) -> bool:
    return actor.is_lda and authority_id is not None and actor.authority_id == authority_id


def _manage_users(session: Session, actor: User, obj: object) -> bool:
    if isinstance(obj, Authority):
        return _lda_of(actor, obj.id)
    if isinstance(obj, User):
        return _lda_of(actor, obj.authority_id)
    return False


def _reset_password(session: Session, actor: User, obj: object) -> bool:
    if not isinstance(obj, User):
        return False
    if _lda_of(actor, obj.authority_id):
        return True
    # The coordinator's data administrator resets the passwords of the LDAs of the active
    # authorities it coordinates (a pending one has nobody who could sign in yet).
    target_authority = session.get(Authority, obj.authority_id)
    return (
        obj.is_lda
        and target_authority is not None
        and target_authority.status == AuthorityStatus.ACTIVE
        and actor.authority_id in coordinator_chain(session, obj.authority_id)
        and has_area_role(session, actor, Role.DATA_ADMINISTRATOR)
    )


def _edit_own_authority(session: Session, actor: User, obj: object) -> bool:
    return isinstance(obj, Authority) and _lda_of(actor, obj.id)


def _view_outbox(session: Session, actor: User, obj: object) -> bool:
    return isinstance(obj, Authority) and _lda_of(actor, obj.id)


def _edit_own_profile(session: Session, actor: User, obj: object) -> bool:
    return isinstance(obj, User) and obj.id == actor.id


def has_role_in_area(session: Session, user: User, role: str, area_id: int) -> bool:
    return session.exec(select(RoleAssignment.id).where(
        RoleAssignment.user_id == user.id, RoleAssignment.role == role, RoleAssignment.area_id == area_id)
    ).first() is not None


def acting_coordinator(session: Session, actor: User) -> Authority | None:
    """The actor's authority when it is an active coordinator and the actor one of its data administrators."""
    own = session.get(Authority, actor.authority_id)
    if own is None or not own.is_coordinator or own.status != AuthorityStatus.ACTIVE:
        return None
    return own if has_area_role(session, actor, Role.DATA_ADMINISTRATOR) else None


def _coordinates(session: Session, actor: User, obj: object) -> bool:
    """A data administrator manages the authorities below its coordinator, at any depth of the tree."""
    return (isinstance(obj, Authority) and obj.id is not None and acting_coordinator(session, actor) is not None
            and actor.authority_id in coordinator_chain(session, obj.id))


def _own_coordinator(session: Session, actor: User, obj: object) -> bool:
    return (isinstance(obj, Authority) and obj.id == actor.authority_id
            and acting_coordinator(session, actor) is not None)


def _register_under(session: Session, actor: User, obj: object) -> bool:
    """New authorities go under the actor's own coordinator or an active sub-coordinator it coordinates."""
    return (isinstance(obj, Authority) and obj.is_coordinator and obj.status == AuthorityStatus.ACTIVE
            and (_own_coordinator(session, actor, obj) or _coordinates(session, actor, obj)))


def _change_area(session: Session, actor: User, obj: object) -> bool:
    """Granting or revoking a legislative area needs the data administrator role in that very area."""
    return (isinstance(obj, AuthorityArea)
            and _coordinates(session, actor, session.get(Authority, obj.authority_id))
            and has_role_in_area(session, actor, Role.DATA_ADMINISTRATOR, obj.area_id))


def _search_directory(session: Session, actor: User, obj: object) -> bool:
    return True  # every signed-in active user searches the authorities of all countries


def _view_directory_entry(session: Session, actor: User, obj: object) -> bool:
    # Pending and rejected authorities do not exist for the directory.
    return isinstance(obj, Authority) and obj.status == "active"


def _view_coordinator_settings(session: Session, actor: User, obj: object) -> bool:
    # Any data administrator of the coordinator sees every area's card; editing is per area.
    return (isinstance(obj, Authority) and obj.id == actor.authority_id and obj.is_coordinator
            and obj.status == AuthorityStatus.ACTIVE and has_area_role(session, actor, Role.DATA_ADMINISTRATOR))


def _administer_coordinator_area(session: Session, actor: User, obj: object) -> bool:
    """Settings and data administrators of one area: a data administrator of the coordinator in that area."""
    if not isinstance(obj, CoordinatorSetting) or obj.coordinator_id != actor.authority_id:
        return False
    coordinator = session.get(Authority, obj.coordinator_id)
    if not coordinator or not coordinator.is_coordinator or coordinator.status != AuthorityStatus.ACTIVE:
        return False
    works_in_area = session.exec(select(AuthorityArea.area_id).where(
        AuthorityArea.authority_id == coordinator.id, AuthorityArea.area_id == obj.area_id)).first() is not None
    return works_in_area and session.exec(select(RoleAssignment.id).where(
        RoleAssignment.user_id == actor.id, RoleAssignment.area_id == obj.area_id,
        RoleAssignment.role == Role.DATA_ADMINISTRATOR)).first() is not None


def _manage_links(session: Session, actor: User, obj: object) -> bool:
    if isinstance(obj, Authority):
        return _lda_of(actor, obj.id)
    return isinstance(obj, AuthorityLink) and _lda_of(actor, obj.authority_id)


def _create_link(session: Session, actor: User, obj: object) -> bool:
    """Only to another active authority of the same country."""
    if not isinstance(obj, AuthorityLink) or not _lda_of(actor, obj.authority_id):
        return False
    own, other = session.get(Authority, obj.authority_id), session.get(Authority, obj.linked_authority_id)
    return bool(own and other and own.id != other.id and own.status == AuthorityStatus.ACTIVE
                and other.status == AuthorityStatus.ACTIVE and other.country_code == own.country_code)


def _view_linked_overview(session: Session, actor: User, obj: object) -> bool:
    # Every user of a linked authority; the Authority form asks "who linked my authority?".
    if isinstance(obj, Authority):
        return obj.id == actor.authority_id
    return isinstance(obj, AuthorityLink) and obj.linked_authority_id == actor.authority_id


RULES: dict[str, Callable[[Session, User, object], bool]] = {
    "user.list": _manage_users,
    "user.register": _manage_users,
    "user.edit": _manage_users,
    "user.set_active": _manage_users,
    "user.reset_password": _reset_password,
    "authority.edit_own": _edit_own_authority,
    "outbox.view": _view_outbox,
    "profile.edit": _edit_own_profile,
    "coordination.list": _own_coordinator,
    "coordination.register": _register_under,
    "coordination.invite": _register_under,
    "coordination.view": _coordinates,
    "coordination.validate": _coordinates,
    "coordination.edit_name": _coordinates,
    "coordination.grant_area": _change_area,
    "coordination.revoke_area": _change_area,
    "coordinator_settings.view": _view_coordinator_settings,
    "coordinator_settings.edit": _administer_coordinator_area,
    "data_admin.grant": _administer_coordinator_area,
    "data_admin.revoke": _administer_coordinator_area,
    "authority_link.list": _manage_links,
    "authority_link.create": _create_link,
    "authority_link.delete": _manage_links,
    "linked_overview.view": _view_linked_overview,
    "directory.search": _search_directory,
    "directory.view": _view_directory_entry,
}


def _view_request(session: Session, actor: User, obj: object) -> bool:
    from imi_app.requests.queries import is_visible  # late: the query module builds on this one

    return is_visible(session, actor, obj)


def _request_step(action: str) -> Callable[[Session, User, object], bool]:
    def rule(session: Session, actor: User, obj: object) -> bool:
        return request_rules.allowed(session, actor, action, obj)
    return rule


# Requests: visibility is one query filter (services/request_queries.visible_requests); every step of
# the lifecycle is a row of the state-machine table (services/request_rules.TRANSITIONS).
RULES["request.view"] = _view_request
RULES["request.view_personal_data"] = request_rules.may_read_personal_data
RULES.update({f"request.{name}": _request_step(name) for name in request_rules.TRANSITIONS})


def can(session: Session, actor: User | None, action: str, obj: object) -> bool:
    """True only when a rule for `action` exists and allows it; any error means no."""
    if not is_active_user(actor):
        return False
    rule = RULES.get(action)
    if rule is None:
        return False
    try:
        return bool(rule(session, actor, obj))
    except Exception:  # noqa: BLE001 - a failing rule must deny, never allow
        log.exception("permission rule %s failed", action)
        return False


def visible_users_query(actor: User):
    """The users an actor may list: those of their own authority, for an LDA; nobody otherwise."""
    query = select(User)
    if actor.is_lda:
        return query.where(User.authority_id == actor.authority_id)
    return query.where(False)  # noqa: FBT003 - deny by default


def coordinated_query(session: Session, actor: User):
    """The authorities a data administrator coordinates, at any depth below its coordinator; nothing otherwise."""
    own = acting_coordinator(session, actor)
    if own is None:
        return select(Authority).where(False)  # noqa: FBT003 - deny by default
    tree = sa.select(Authority.id).where(Authority.parent_coordinator_id == own.id).cte("coordinated", recursive=True)
    below = sa_orm.aliased(Authority)
    # UNION (not UNION ALL) also ends the walk if bad data ever made a cycle.
    tree = tree.union(sa.select(below.id).where(below.parent_coordinator_id == tree.c.id))
    return select(Authority).where(Authority.id.in_(sa.select(tree.c.id)))  # type: ignore[union-attr]

"""Who may coordinate, register, validate, change areas and settings, link, and search the directory."""

from __future__ import annotations

from sqlmodel import Session, select

from imi_app.accounts.models import Role, RoleAssignment, User
from imi_app.authorities.models import (
    Authority, AuthorityArea, AuthorityLink, AuthorityStatus, CoordinatorSetting,
)
from imi_app.policy import core
from imi_app.policy.facts import (
    acting_coordinator, coordinated_where, coordinator_chain, has_area_role, has_role_in_area, lda_of,
)


def _edit_own_authority(session: Session, actor: User, obj: object) -> bool:
    return isinstance(obj, Authority) and lda_of(actor, obj.id)


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
    return isinstance(obj, Authority) and obj.status == AuthorityStatus.ACTIVE


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
        return lda_of(actor, obj.id)
    return isinstance(obj, AuthorityLink) and lda_of(actor, obj.authority_id)


def _create_link(session: Session, actor: User, obj: object) -> bool:
    """Only to another active authority of the same country."""
    if not isinstance(obj, AuthorityLink) or not lda_of(actor, obj.authority_id):
        return False
    own, other = session.get(Authority, obj.authority_id), session.get(Authority, obj.linked_authority_id)
    return bool(own and other and own.id != other.id and own.status == AuthorityStatus.ACTIVE
                and other.status == AuthorityStatus.ACTIVE and other.country_code == own.country_code)


def _view_linked_overview(session: Session, actor: User, obj: object) -> bool:
    # Every user of a linked authority; the Authority form asks "who linked my authority?".
    if isinstance(obj, Authority):
        return obj.id == actor.authority_id
    return isinstance(obj, AuthorityLink) and obj.linked_authority_id == actor.authority_id


core.register({
    "authority.edit_own": _edit_own_authority,
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
})
core.register_filter(Authority, "coordination.view", coordinated_where)

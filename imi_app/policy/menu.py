"""What the menu offers a signed-in user, from the same facts the rules use (the menu and the server agree)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from imi_app.accounts.models import Role, User
from imi_app.authorities.models import Authority
from imi_app.core.actions import query
from imi_app.core.formats import zone_for
from imi_app.core.time import DEFAULT_ZONE
from imi_app.policy.facts import acting_coordinator, coordinator_staff_of, has_area_role, is_active_user


@dataclass(frozen=True)
class Menu:
    is_lda: bool = False  # administers the users and data of the own authority
    is_data_admin: bool = False  # acts for an active coordinator: coordination, coordinator settings
    can_create_request: bool = False  # a request handler in some area
    sees_scoreboard: bool = False  # staff of an active coordinator: the coordinator's dashboard
    authority_name: str = ""
    zone: str = DEFAULT_ZONE  # the time zone the user reads times in


NOTHING = Menu()


@query
def menu_for(session: Session, *, actor: User | None) -> Menu:
    if actor is None or not is_active_user(actor):
        return NOTHING
    own = session.get(Authority, actor.authority_id)
    return Menu(is_lda=actor.is_lda, is_data_admin=acting_coordinator(session, actor) is not None,
                can_create_request=has_area_role(session, actor, Role.REQUEST_HANDLER),
                sees_scoreboard=coordinator_staff_of(session, actor) is not None,
                authority_name=own.official_name if own else "",
                zone=zone_for(actor.time_zone, own.country_code if own else None))

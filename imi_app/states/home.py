"""The home page: who I am, where I work, what I may do."""

from __future__ import annotations

import reflex as rx

from imi_app.db import session_scope
from imi_app.i18n import N_
from imi_app.models import LegislativeArea, Role
from imi_app.services.users import areas_of_authority, user_roles
from imi_app.states.base import AppState

ROLE_LABELS = {
    Role.REQUEST_HANDLER: N_("Request handler"),
    Role.ALLOCATOR: N_("Allocator"),
    Role.DATA_ADMINISTRATOR: N_("Data administrator"),
    Role.APPROVER_REFEREE: N_("Approver-referee"),
}


class HomeState(AppState):
    area_roles: list[dict[str, str]] = []

    @rx.event
    def open_home(self):
        redirect = self.require_user()
        if redirect is not None:
            return redirect
        user = self._active_user()
        if user is None:
            return None
        with session_scope() as session:
            roles = user_roles(session, user.id)
            rows = []
            for area in areas_of_authority(session, user.authority_id):
                labels = [self._tr("Basic user")] + [
                    self._tr(ROLE_LABELS[r]) for r in roles.get(area.id, []) if r in ROLE_LABELS]
                rows.append({"area": area_name(area, self.lang), "roles": ", ".join(labels)})
        self.area_roles = rows
        return None


def area_name(area: LegislativeArea, language: str) -> str:
    return area.names.get(language) or area.names.get("en") or area.code

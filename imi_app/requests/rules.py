"""The request rules, registered with the policy: reading, personal data, each lifecycle step, the list filter.

Every module of this feature that asks `can`/`require` about a request imports this one.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session

from imi_app.accounts.models import User
from imi_app.authorities.models import Authority
from imi_app.policy import core, is_active_user
from imi_app.requests import lifecycle
from imi_app.requests.models import InfoRequest
from imi_app.requests.visibility import is_visible, visible_requests


def _step(action: str) -> Callable[[Session, User, object], bool]:
    def rule(session: Session, actor: User, obj: object) -> bool:
        return lifecycle.allowed(session, actor, action, obj)
    return rule


def _searches_subjects(session: Session, actor: User, authority: object) -> bool:
    """The local data administrators of an authority search its exchanges for a data subject."""
    return (isinstance(authority, Authority) and is_active_user(actor) and actor.is_lda
            and actor.authority_id == authority.id)


# Visibility is one query filter (visibility.visible_requests); every step of the lifecycle is a
# row of the state-machine table (lifecycle.TRANSITIONS).
core.register({
    "request.view": is_visible,
    "request.view_personal_data": lifecycle.may_read_personal_data,
    "request.open_blocked_data": lifecycle.may_open_blocked_data,
    "request.change_subject_data": lifecycle.may_change_subject_data,
    "data_subject.search": _searches_subjects,
    **{f"request.{name}": _step(name) for name in lifecycle.TRANSITIONS},
})
core.register_filter(InfoRequest, "request.view", lambda session, actor: visible_requests(session, actor))

"""The one access policy (SEC-10): `can`, `require` and `restrict`, deny by default.

Features register their rules here (`register`, `register_filter`) from their own `rules`
module; this package imports no feature, so a rule is found in exactly one place: the feature
it belongs to.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import sqlalchemy as sa
from sqlmodel import Session, select

from imi_app.accounts.models import User
from imi_app.core import audit
from imi_app.core.errors import Denied
from imi_app.core.edges import is_id
from imi_app.policy.facts import is_active_user

log = logging.getLogger(__name__)

Rule = Callable[[Session, User, object], bool]
Filter = Callable[[Session, User], sa.ColumnElement[bool]]
RULES: dict[str, Rule] = {}
FILTERS: dict[tuple[type, str], Filter] = {}


def register(rules: dict[str, Rule]) -> None:
    """Adds a feature's rules; an action has exactly one rule."""
    for name, rule in rules.items():
        if RULES.get(name, rule) is not rule:
            raise ValueError(f"a rule for {name} is already registered")
        RULES[name] = rule


def register_filter(model: type, action: str, where: Filter) -> None:
    """Adds the WHERE clause that lists the `model` rows an actor may `action`."""
    FILTERS[(model, action)] = where


def can(session: Session, actor: User | None, action: str, obj: object) -> bool:
    """True only when a rule for `action` exists and allows it; any error means no."""
    if not is_active_user(actor):
        return False
    rule = RULES.get(action)
    if rule is None:
        log.error("no permission rule for %s", action)
        return False
    try:
        return bool(rule(session, actor, obj))  # type: ignore[arg-type]
    except Exception:  # noqa: BLE001 - a failing rule must deny, never allow
        log.exception("permission rule %s failed", action)
        return False


def deny(session: Session, actor: User | None, action: str, object_type: str, object_id: object) -> Denied:
    """Audits a refusal and returns the error to raise."""
    # The refusal is audited in its own transaction; ending ours first releases SQLite's write
    # lock (BEGIN IMMEDIATE), which that transaction would otherwise wait for until it times out.
    session.rollback()
    audit.record_denied(actor=actor, action=action, object_type=object_type, object_id=object_id)
    return Denied()


def require(session: Session, actor: User | None, action: str, obj: object, object_type: str,
            object_id: object) -> None:
    """`can`, or an audited Denied."""
    if not can(session, actor, action, obj):
        raise deny(session, actor, action, object_type, object_id)


def require_locked(session: Session, actor: User | None, action: str, model: type, object_type: str,
                   object_id: object):
    """The `model` row `object_id`, locked for update, when `actor` may `action` it; else an audited Denied.
    Anything but an id (a crafted event) is refused and audited like a row out of reach."""
    if not is_id(object_id):
        raise deny(session, actor, action, object_type, repr(object_id)[:40])
    row = session.exec(select(model).where(model.id == object_id).with_for_update()).first()  # type: ignore[attr-defined]
    require(session, actor, action, row, object_type, object_id)
    return row


def restricted(session: Session, actor: User | None, model: type, action: str) -> sa.ColumnElement[bool]:
    """The WHERE clause of the `model` rows `actor` may `action` (false without a filter or an active actor)."""
    where = FILTERS.get((model, action))
    if where is None:
        log.error("no list filter for %s %s", model.__name__, action)
        return sa.false()
    if not is_active_user(actor):
        return sa.false()
    return where(session, actor)  # type: ignore[arg-type]


def restrict(session: Session, actor: User | None, model: type, action: str):
    """`select(model)` narrowed to the rows `actor` may `action` (NetBox's RestrictedQuerySet.restrict)."""
    return select(model).where(restricted(session, actor, model, action))

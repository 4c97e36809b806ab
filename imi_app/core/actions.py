"""How a change or a read runs: each in exactly one transaction, opened here and never by a caller.

A feature writes its changes as `@action` functions and its reads as `@query` functions whose
first parameter is the session:

    @action
    def accept(session: Session, *, actor: User, request_id: int, expected_version: int) -> StepResult:
        ...

and everybody calls them without one: `accept(actor=user, request_id=7, expected_version=3)`. The
call opens the transaction, commits when the function returns and rolls back when it raises, so
the change, its audit row and its outbox mails commit together or not at all. Actions do not
nest: an action that builds on another one calls its body inside the same transaction with
`other.within(session, …)`; calling a decorated function from inside another is refused, because
on SQLite the inner transaction would wait for the outer one's write lock.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Concatenate, Generic, ParamSpec, TypeVar

from sqlmodel import Session

from imi_app.core.db import session_scope

P = ParamSpec("P")
R = TypeVar("R")
_local = threading.local()


class NestedTransaction(RuntimeError):
    """An action or query was called from inside another one: use `.within(session, …)` there."""


class Transactional(Generic[P, R]):
    """A function of (session, …) that callers run as one transaction of its own."""

    def __init__(self, fn: Callable[Concatenate[Session, P], R], kind: str) -> None:
        functools.update_wrapper(self, fn)
        self.within = fn  # the body, for another action of the same transaction
        self.kind = kind

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        if getattr(_local, "active", None):
            raise NestedTransaction(f"{self.__qualname__} called inside {_local.active}")
        _local.active = self.__qualname__
        try:
            with session_scope(read_only=self.kind == "query") as session:
                return self.within(session, *args, **kwargs)
        finally:
            _local.active = None

    def __repr__(self) -> str:
        return f"<{self.kind} {self.__module__}.{self.__qualname__}>"


def action(fn: Callable[Concatenate[Session, P], R]) -> Transactional[P, R]:
    """A change of data: permission check, change, audit row and outbox rows in one transaction."""
    return Transactional(fn, "action")


def query(fn: Callable[Concatenate[Session, P], R]) -> Transactional[P, R]:
    """A read for a screen: one consistent snapshot, nothing written (refusals are audited apart)."""
    return Transactional(fn, "query")
